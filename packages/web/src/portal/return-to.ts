/**
 * Where the portal goes after sign-in: `return_to` only when it is a path on this site (a single
 * leading "/", no "//host", no backslash tricks, no control characters), else My Apps. This is the
 * contract's open-redirect rule for GET /portal/sign-in?return_to=…
 */
export function safeReturnTo(value: string | null | undefined): string {
  if (!value || value.length > 4000) return '/portal';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/portal';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/portal';
  try {
    const url = new URL(value, 'http://roster.invalid');
    if (url.origin !== 'http://roster.invalid') return '/portal';
    if (url.pathname.startsWith('/portal/sign-in')) return '/portal';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/portal';
  }
}
