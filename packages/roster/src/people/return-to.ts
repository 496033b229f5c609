/**
 * The portal's own `return_to` (GET /portal/sign-in?return_to=…, /portal/security?return_to=…): a
 * path on this site only. The server refuses an off-site value before the page loads (a refusal page
 * and an audit entry, as the IdP endpoints do); the browser keeps its own check
 * (packages/web/src/portal/return-to.ts `safeReturnTo`), which also turns a loop back to the sign-in
 * page into My Apps.
 */

export const RETURN_TO_MAX = 4000;

/** Why `value` is not a page of this site, or null when it is one. */
export function offSiteReturnTo(value: string): string | null {
  if (value.length > RETURN_TO_MAX) return `is longer than ${RETURN_TO_MAX} characters`;
  if (!value.startsWith('/')) return 'is not a path on this site';
  if (value.startsWith('//') || value.includes('\\')) return 'names another site';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'carries control characters';
  try {
    if (new URL(value, 'http://roster.invalid').origin !== 'http://roster.invalid') return 'names another site';
  } catch {
    return 'is not a URL';
  }
  return null;
}
