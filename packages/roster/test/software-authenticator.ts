/**
 * A software WebAuthn authenticator for tests: a real P-256 key pair (node:crypto), real CBOR
 * attestation objects (format `none`) and real ECDSA assertions, built as the WebAuthn spec
 * (https://www.w3.org/TR/webauthn-2/) lays them out, so the server library verifies them exactly as
 * it verifies a browser's. It answers with the JSON @simplewebauthn/browser would send.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | boolean;

/** The part of CBOR (RFC 8949) WebAuthn uses: integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'boolean') return Buffer.from([value ? 0xf5 : 0xf4]);
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, b.length), b]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64u = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

/** Flags of authenticator data: user present, user verified, attested credential data included. */
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface SoftwarePasskey {
  credentialId: Buffer;
  privateKey: KeyObject;
  /** COSE_Key of the public key (EC2, P-256, ES256). */
  cosePublicKey: Buffer;
  userHandle: string | null;
  signCount: number;
}

export class SoftwareAuthenticator {
  readonly passkeys: SoftwarePasskey[] = [];
  constructor(
    readonly origin: string,
    /** Flags to set on every answer; drop UV to play an authenticator that did not verify the user. */
    public flags: number = UP | UV,
  ) {}

  /** Answers `navigator.credentials.create()` for options from the server. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }): Record<string, unknown> {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cosePublicKey = cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
    const credentialId = randomBytes(16);
    const passkey: SoftwarePasskey = { credentialId, privateKey, cosePublicKey, userHandle: options.user.id, signCount: 0 };
    this.passkeys.push(passkey);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(credentialId.length);
    const authData = Buffer.concat([sha256(rpId), Buffer.from([this.flags | AT]), Buffer.alloc(4), Buffer.alloc(16), idLength, credentialId, cosePublicKey]);
    const clientDataJSON = JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin: this.origin, crossOrigin: false });
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
    return {
      id: b64u(credentialId),
      rawId: b64u(credentialId),
      type: 'public-key',
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answers `navigator.credentials.get()`: with the first passkey allowed (any, when the list is empty). */
  get(options: { challenge: string; rpId?: string; allowCredentials?: { id: string }[] }, passkey?: SoftwarePasskey): Record<string, unknown> {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id) ?? [];
    const key = passkey ?? this.passkeys.find((p) => allowed.length === 0 || allowed.includes(b64u(p.credentialId)));
    if (!key) throw new Error('no passkey for these options');
    key.signCount++;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(key.signCount);
    const authenticatorData = Buffer.concat([sha256(rpId), Buffer.from([this.flags]), count]);
    const clientDataJSON = JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: this.origin, crossOrigin: false });
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), key.privateKey);
    return {
      id: b64u(key.credentialId),
      rawId: b64u(key.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authenticatorData),
        signature: b64u(signature),
        ...(key.userHandle ? { userHandle: key.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
