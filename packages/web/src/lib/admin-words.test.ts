import { describe, expect, it } from 'vitest';
import { tokensRevokedWords } from './admin-words.ts';

describe('tokensRevokedWords', () => {
  it('says none, one or many', () => {
    expect(tokensRevokedWords(0)).toBe('they had no API token to revoke');
    expect(tokensRevokedWords(1)).toBe('1 API token was revoked');
    expect(tokensRevokedWords(3)).toBe('3 API tokens were revoked');
  });
});
