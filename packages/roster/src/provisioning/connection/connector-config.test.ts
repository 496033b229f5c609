import { describe, expect, it } from 'vitest';
import { zendeskConfigSchema } from '../../connectors/zendesk/config.ts';
import { zendeskConnectionMethods as methods } from '../../connectors/zendesk/connection-form.ts';
import { appErrorOf } from './connector-errors.ts';
import { connectorConfig } from './connector-config.ts';

const template = 'http://127.0.0.1:4010/{subdomain}';

describe('connector config from a stored connection', () => {
  it('turns an API token connection into the connection form, which the connector accepts', () => {
    const raw = connectorConfig({ config: { targetSettings: { subdomain: 'acme' }, stored: { method: 'api_token', adminEmail: 'admin@acme.test' }, tokenExpiresAt: null }, secrets: { apiToken: 't0k' }, methods, baseUrlTemplate: template });
    expect(raw).toEqual({ method: 'api_token', subdomain: 'acme', baseUrlTemplate: template, email: 'admin@acme.test', apiToken: 't0k' });
    expect(zendeskConfigSchema.safeParse(raw).success).toBe(true);
  });

  it('carries OAuth tokens and the expiry as epoch ms, plus extra options', () => {
    const raw = connectorConfig({
      config: { targetSettings: { subdomain: 'acme' }, stored: { method: 'oauth', clientId: 'roster' }, tokenExpiresAt: '2026-11-21T12:00:00.000Z' },
      secrets: { clientSecret: 's', accessToken: 'a', refreshToken: 'r' },
      methods, baseUrlTemplate: template,
      options: { jobPollIntervalMs: 50 },
    });
    expect(raw).toMatchObject({ method: 'oauth', clientId: 'roster', clientSecret: 's', accessToken: 'a', refreshToken: 'r', accessTokenExpiresAt: Date.parse('2026-11-21T12:00:00.000Z'), jobPollIntervalMs: 50 });
    expect(zendeskConfigSchema.safeParse(raw).success).toBe(true);
  });

  it('an OAuth connection without tokens does not parse (authorize first)', () => {
    const raw = connectorConfig({ config: { targetSettings: { subdomain: 'acme' }, stored: { method: 'oauth', clientId: 'roster' }, tokenExpiresAt: null }, secrets: { clientSecret: 's' }, methods, baseUrlTemplate: template });
    expect(zendeskConfigSchema.safeParse(raw).success).toBe(false);
  });
});

describe('connector errors as API errors', () => {
  it('maps by class, keeping the connector code and advice in details', () => {
    const base = { message: 'm', advice: 'do this' };
    expect(appErrorOf({ ...base, code: 'zendesk.unauthorized', class: 'configuration' })).toMatchObject({ code: 'connection_failed', details: { connectorCode: 'zendesk.unauthorized', advice: 'do this' } });
    expect(appErrorOf({ ...base, code: 'zendesk.rate_limited', class: 'rate_limited', retryAfterSeconds: 7 })).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
    expect(appErrorOf({ ...base, code: 'zendesk.unavailable', class: 'transient' }).code).toBe('target_unavailable');
    expect(appErrorOf({ ...base, code: 'zendesk.not_found', class: 'object' }).code).toBe('target_unavailable');
  });
});
