import type { OAuthClientRecord } from '../store/oauth.ts';
import { esc, layout } from './html.ts';

/** The authorization request, carried through the sign-in and consent forms as hidden fields. */
export interface AuthorizeParams {
  readonly client_id: string;
  readonly redirect_uri: string;
  readonly scope: string;
  readonly state: string;
  readonly code_challenge: string;
  readonly code_challenge_method: string;
}

const hidden = (params: Record<string, string>) =>
  Object.entries(params).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('\n');

/** Zendesk-style sign-in form; posts email + password to `{prefix}/access/login`. */
export function signInPage(prefix: string, returnTo: string, subdomain: string, error?: string): string {
  return layout(
    'Sign in to Zendesk',
    `<h1>Sign in to ${esc(subdomain)}</h1>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="${esc(prefix)}/access/login" id="login-form">
${hidden({ return_to: returnTo })}
<label for="user_email">Email</label><input id="user_email" name="email" type="email" autocomplete="username" required>
<label for="user_password">Password</label><input id="user_password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit" id="sign-in">Sign in</button></p>
</form>`,
  );
}

/** The consent page with Allow / Deny buttons (stable ids for browser tests). */
export function consentPage(prefix: string, client: OAuthClientRecord, params: AuthorizeParams, csrf: string, userName: string): string {
  const scopes = params.scope.split(/\s+/).filter(Boolean);
  return layout(
    'Allow access',
    `<h1>${esc(client.name)} wants to access your Zendesk account</h1>
<p>Signed in as ${esc(userName)}. ${esc(client.company)} will be able to:</p>
<ul id="scopes">${scopes.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
<form method="post" action="${esc(prefix)}/oauth/authorizations" id="consent-form">
${hidden({ ...params, authenticity_token: csrf })}
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return layout('OAuth error', `<h1>Authorization error</h1><p class="error" role="alert">${esc(message)}</p>`);
}
