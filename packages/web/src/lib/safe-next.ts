/** Where to go after signing in: only a path on this site (never `//host` or a full URL: no open redirect), else Users. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/sign-in') ? next : '/users';
}
