import { describe, expect, it } from 'vitest';
import { relyingPartyOf } from './passkeys.ts';
import { stageAfterPassword } from './sign-in.ts';

describe('the stage a password opens', () => {
  it('asks for the second factor a user holds, makes one required by the policy be enrolled, else signs in', () => {
    expect(stageAfterPassword({ totpConfirmed: true, passkeys: 0 }, false)).toBe('second_factor');
    expect(stageAfterPassword({ totpConfirmed: false, passkeys: 2 }, false)).toBe('second_factor');
    expect(stageAfterPassword({ totpConfirmed: true, passkeys: 1 }, true)).toBe('second_factor');
    expect(stageAfterPassword({ totpConfirmed: false, passkeys: 0 }, true)).toBe('enrol');
    expect(stageAfterPassword({ totpConfirmed: false, passkeys: 0 }, false)).toBe('full');
  });
});

describe('the WebAuthn relying party', () => {
  it('is the host and origin of the public URL', () => {
    expect(relyingPartyOf('https://roster.example.com')).toEqual({ rpID: 'roster.example.com', rpName: 'Roster', origin: 'https://roster.example.com' });
    expect(relyingPartyOf('http://localhost:8080')).toMatchObject({ rpID: 'localhost', origin: 'http://localhost:8080' });
    expect(relyingPartyOf('https://sso.example.com/roster')).toMatchObject({ rpID: 'sso.example.com', origin: 'https://sso.example.com' });
  });
});
