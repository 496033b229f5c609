/**
 * GET /portal/sign-in?return_to=…: email and password, then the second factor when one is due (a
 * code from the authenticator app, or a passkey), or "Sign in with a passkey" alone. On success the
 * browser goes to return_to (same-site paths only, else My Apps); a user who must first enrol a
 * second factor goes to the security page.
 */
import { Alert, Anchor, Button, Center, Divider, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { unwrap } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { portalApi, setPortalCsrf } from './portal-client.ts';
import { portalSessionKey, usePortalSession } from './portal-session.ts';
import { signInWithPasskey } from './passkey-ceremonies.ts';
import { safeReturnTo } from './return-to.ts';

export function PortalSignInPage() {
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('return_to'));
  const { state, loading } = usePortalSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm({ initialValues: { email: params.get('email') ?? '', password: '' }, validate: { email: (v) => (v.trim() ? null : 'Enter your email'), password: (v) => (v ? null : 'Enter your password') } });
  const codeForm = useForm({ initialValues: { code: '' }, validate: { code: (v) => (/^\d{3} ?\d{3}$/.test(v.trim()) ? null : 'Enter the 6 digits your app shows') } });

  const stage = state?.stage;
  useEffect(() => {
    // Full navigation: return_to may be a server page (an SSO endpoint), not a page of this app.
    if (stage === 'full') window.location.assign(returnTo);
    if (stage === 'enrol') void navigate(`/portal/security?return_to=${encodeURIComponent(returnTo)}`, { replace: true });
  }, [stage, returnTo, navigate]);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: portalSessionKey });
  };
  const run = async (step: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await step();
      await refresh();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (loading) return null;
  const secondFactor = stage === 'second_factor';
  return (
    <Center>
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            {secondFactor ? 'Confirm it is you' : 'Sign in'}
          </Title>
          {error && (
            <Alert color="red" role="alert" title="Sign-in failed">
              {error}
            </Alert>
          )}
          {!secondFactor && (
            <>
              <form
                noValidate
                onSubmit={form.onSubmit((v) =>
                  run(async () => {
                    const r = await unwrap(portalApi.POST('/portal/api/session', { body: { email: v.email.trim(), password: v.password } }));
                    setPortalCsrf(r.csrfToken);
                  }),
                )}
              >
                <Stack>
                  <TextInput label="Email" type="email" autoComplete="username webauthn" required {...form.getInputProps('email')} />
                  <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
              <Divider label="or" />
              <Button variant="default" onClick={() => void run(signInWithPasskey)} loading={busy}>
                Sign in with a passkey
              </Button>
              <Anchor component={Link} to="/portal/forgot-password" size="sm">
                Forgot your password?
              </Anchor>
            </>
          )}
          {secondFactor && state && (
            <>
              <Text size="sm">Signed in as {state.user.email}. One more step.</Text>
              {state.passkeys > 0 && (
                <Button onClick={() => void run(signInWithPasskey)} loading={busy}>
                  Use a passkey
                </Button>
              )}
              {state.totp && (
                <form
                  noValidate
                  onSubmit={codeForm.onSubmit((v) =>
                    run(async () => {
                      await unwrap(portalApi.POST('/portal/api/session/totp', { body: { code: v.code.trim() } }));
                    }),
                  )}
                >
                  <Stack>
                    <TextInput label="Code from your authenticator app" inputMode="numeric" autoComplete="one-time-code" {...codeForm.getInputProps('code')} />
                    <Button type="submit" variant={state.passkeys > 0 ? 'default' : 'filled'} loading={busy}>
                      Verify code
                    </Button>
                  </Stack>
                </form>
              )}
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
