/** The browser side of passkeys: @simplewebauthn/browser runs the WebAuthn ceremonies with the server's options. */
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { unwrap } from '../api/client.ts';
import { portalApi } from './portal-client.ts';

type CreationOptions = Parameters<typeof startRegistration>[0]['optionsJSON'];
type RequestOptions = Parameters<typeof startAuthentication>[0]['optionsJSON'];

/** Signs in with a passkey (or, after a password, uses one as the second factor). */
export async function signInWithPasskey(): Promise<void> {
  const { challengeId, options } = await unwrap(portalApi.POST('/portal/api/passkey-sign-in/options', { body: {} }));
  const credential = await startAuthentication({ optionsJSON: options as unknown as RequestOptions });
  await unwrap(portalApi.POST('/portal/api/passkey-sign-in', { body: { challengeId, credential: credential as never } }));
}

export async function addPasskey(name: string): Promise<void> {
  const { challengeId, options } = await unwrap(portalApi.POST('/portal/api/passkeys/options', { body: {} }));
  const credential = await startRegistration({ optionsJSON: options as unknown as CreationOptions });
  await unwrap(portalApi.POST('/portal/api/passkeys', { body: { challengeId, name, credential: credential as never } }));
}
