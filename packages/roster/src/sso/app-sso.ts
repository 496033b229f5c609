/**
 * An application as the IdP sees it: its connector's SSO definition, where its account receives
 * sign-ins (from the application's settings), its SSO settings, and Roster's own URLs for it.
 */
import { connectorFor, urlTemplateFor } from '../connectors/registry.ts';
import type { TargetUrls } from '../connectors/target-facts.ts';
import type { SsoDefinition, SsoEndpoints } from '../connectors/contract.ts';
import type { Executor } from '../db/database.ts';
import { findAppRow } from '../directory/apps/app-view.ts';
import { type SsoConfig, loadSsoConfig } from './sso-config.ts';

/** Roster's IdP URLs of one application (the SSO contract fixes them). */
export interface IdpUrls {
  entityId: string;
  ssoUrl: string;
  metadataUrl: string;
  logoutUrl: string;
  jwtLoginUrl: string;
  startUrl: string;
}

export function idpUrls(publicUrl: string, applicationId: string): IdpUrls {
  const base = publicUrl.replace(/\/+$/, '');
  const saml = `${base}/sso/saml/${applicationId}`;
  return { entityId: saml, ssoUrl: saml, metadataUrl: `${saml}/metadata`, logoutUrl: `${saml}/logout`, jwtLoginUrl: `${base}/sso/jwt/${applicationId}`, startUrl: `${base}/sso/apps/${applicationId}/start` };
}

export interface AppSso {
  applicationId: string;
  displayName: string;
  definition: SsoDefinition | null;
  /** Null while the application's settings name no account. */
  endpoints: SsoEndpoints | null;
  config: SsoConfig;
  urls: IdpUrls;
}

/** 404 (`params.id`) for an unknown or deleted application. */
export async function loadAppSso(executor: Executor, applicationId: string, publicUrl: string, targetUrls: TargetUrls): Promise<AppSso> {
  const [app, config] = await Promise.all([findAppRow(executor, applicationId), loadSsoConfig(executor, applicationId)]);
  const definition = connectorFor(app.type)?.sso ?? null;
  return {
    applicationId,
    displayName: app.displayName,
    definition,
    endpoints: definition?.endpoints(app.settings, urlTemplateFor(app.type, targetUrls) ?? '') ?? null,
    config,
    urls: idpUrls(publicUrl, applicationId),
  };
}

/** The certificate's subject: names the application, so an SP admin can tell certificates apart. */
export const certificateSubject = (app: Pick<AppSso, 'displayName' | 'applicationId'>): string => `Roster IdP ${app.displayName}`.slice(0, 64);
