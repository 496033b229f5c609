/** Words for what happened to an admin's API tokens, in the notices after a password reset or a disable. */
export function tokensRevokedWords(n: number): string {
  if (n === 0) return 'they had no API token to revoke';
  return `${n} API token${n === 1 ? ' was' : 's were'} revoked`;
}
