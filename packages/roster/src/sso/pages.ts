/**
 * The pages a browser sees at Roster's IdP endpoints: the form that carries a SAML Response or a
 * JWT to the application (submitted by a same-origin script: the CSP allows no inline script), the
 * refusal page, and the signed-out page. Plain HTML, every value escaped.
 */

const esc = (v: string): string => v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** Served at this path; it submits the page's one form. */
export const AUTOPOST_SCRIPT_PATH = '/sso/autopost.js';
export const AUTOPOST_SCRIPT = "document.getElementById('sso-form').submit();\n";

const page = (title: string, body: string, script = ''): string =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>` +
  `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1a1b1e}h1{font-size:1.4rem}p.code{color:#666;font-size:.85rem}</style>` +
  `</head><body>${body}${script}</body></html>`;

/** The form that posts `fields` to `action`; a button for browsers without script. */
export function autoPostPage(action: string, fields: Record<string, string>, appName: string): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  return page(
    `Signing in to ${appName}`,
    `<form id="sso-form" method="post" action="${esc(action)}">${inputs}<h1>Signing in to ${esc(appName)}…</h1><noscript><p>Script is off: continue by hand.</p></noscript><button type="submit">Continue</button></form>`,
    `<script src="${AUTOPOST_SCRIPT_PATH}"></script>`,
  );
}

const ACCESS_CODES = new Set(['sso_not_assigned', 'sso_default_access', 'sso_user_inactive']);

/** The refusal page: "You don't have access to <app>" for access refusals, else what was refused and why. */
export function refusalPage(appName: string, refusal: { code: string; message: string; advice: string }, words: string): string {
  const title = ACCESS_CODES.has(refusal.code) ? `You don't have access to ${appName}` : `Sign-in to ${appName} refused`;
  return page(
    title,
    `<h1 data-testid="sso-refusal">${esc(title)}</h1><p>${esc(refusal.message)}</p><p>${esc(refusal.advice)}</p><p class="code">${esc(words)} (${esc(refusal.code)})</p><p><a href="/portal">Back to My Apps</a></p>`,
  );
}

export function signedOutPage(appName: string): string {
  return page('Signed out', `<h1 data-testid="sso-signed-out">You are signed out</h1><p>You signed out of ${esc(appName)} and of Roster.</p><p><a href="/portal">Sign in again</a></p>`);
}

/** The CSP of the post page: as strict as every page, but the form may go to the application. */
export function autoPostCsp(baseCsp: string, action: string): string {
  const origin = new URL(action).origin;
  return baseCsp.replace("form-action 'self'", `form-action 'self' ${origin}`);
}
