import type { UserRecord } from '../store/user-record.ts';
import { esc, layout } from './html.ts';

/** The "Zendesk" home of a signed-in user, with stable test ids. */
export function homePage(prefix: string, subdomain: string, user: UserRecord): string {
  return layout(
    `${subdomain} — Zendesk`,
    `<h1>${esc(subdomain)} Zendesk</h1>
<p id="signed-in">Signed in as <span data-testid="zendesk-name">${esc(user.name)}</span> (<span data-testid="zendesk-user">${esc(user.email)}</span>) — role: <span data-testid="zendesk-role">${esc(user.role)}</span></p>
<p><a href="${esc(prefix)}/access/logout" id="sign-out">Sign out</a></p>`,
  );
}

/** Zendesk's SSO error page: what went wrong, in words. */
export function ssoErrorPage(prefix: string, reason: string): string {
  return layout(
    'Single sign-on error',
    `<h1>Oops! We couldn't sign you in</h1>
<p class="error" role="alert" data-testid="sso-error">${esc(reason)}</p>
<p>Contact the administrator of this Zendesk account. <a href="${esc(prefix)}/">Try again</a></p>`,
  );
}

export function signedOutPage(prefix: string): string {
  return layout('Signed out', `<h1>You have been signed out</h1><p data-testid="signed-out"><a href="${esc(prefix)}/">Sign in again</a></p>`);
}
