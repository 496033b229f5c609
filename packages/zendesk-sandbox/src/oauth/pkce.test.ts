import { describe, expect, it } from 'vitest';
import { pkceMatches } from './pkce.ts';

describe('pkceMatches', () => {
  it('checks the RFC 7636 appendix B example', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
    expect(pkceMatches(challenge, 'S256', verifier)).toBe(true);
    expect(pkceMatches(challenge, 'S256', `${verifier}x`)).toBe(false);
    expect(pkceMatches('abc', 'plain', 'abc')).toBe(true);
  });
});
