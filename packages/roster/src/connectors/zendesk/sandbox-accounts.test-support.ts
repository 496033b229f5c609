/**
 * Test support (imported by integration tests only): a Zendesk sandbox on port 0, accounts made
 * through its control API, and connections to them.
 */
import { createSandbox, type Sandbox } from '@roster/zendesk-sandbox';
import type { Connection, ConnectorDeps, Pacer } from '../contract.ts';
import { unpacedPacer } from '../../provisioning/apply/pacer.ts';
import { zendeskConfigSchema, type ZendeskConfigInput } from './config.ts';
import { connectZendesk } from './connector.ts';

export interface SandboxAccount {
  subdomain: string;
  adminEmail: string;
  adminPassword: string;
  apiToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
}

export interface SandboxUser {
  id: number;
  name: string;
  email: string | null;
  external_id: string | null;
  role: string;
  custom_role_id: number | null;
  suspended: boolean;
  active: boolean;
  identities: { type: string; value: string; primary: boolean }[];
}

export interface SandboxSnapshot {
  users: SandboxUser[];
  custom_roles: { id: number; name: string; role_type: number }[];
  counters: { requests: number; byStatus: Record<string, number>; rateLimited: number };
  jobs: { id: string; status: string }[];
}

// Control answers are read ad hoc by tests; their shapes belong to the sandbox.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ControlBody = any;

export interface SandboxHarness {
  url: string;
  sandbox: Sandbox;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: ControlBody }>;
  account(options: Record<string, unknown>): Promise<SandboxAccount>;
  snapshot(subdomain: string): Promise<SandboxSnapshot>;
  faults(subdomain: string, faults: Record<string, unknown>): Promise<void>;
  /** Parses `config` (test input, validated by the real schema) and connects. */
  connect(config: Record<string, unknown>, deps?: Partial<ConnectorDeps>): Connection;
  apiTokenConfig(a: SandboxAccount): Extract<ZendeskConfigInput, { method: 'api_token' }>;
  close(): Promise<void>;
}

export const testDeps = (pacer: Pacer = unpacedPacer, extra: Partial<ConnectorDeps> = {}): ConnectorDeps => ({
  fetch: globalThis.fetch,
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  pacer,
  ...extra,
});

let counter = 0;
/** A subdomain unique within this process. */
export const freshSubdomain = (prefix: string) => `${prefix}-${process.pid}-${(counter += 1)}`;

export async function startSandboxHarness(): Promise<SandboxHarness> {
  const sandbox = createSandbox();
  const { url } = await sandbox.listen(0);
  const control = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(`${url}/__sandbox${path}`, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const h: SandboxHarness = {
    url,
    sandbox,
    control,
    async account(options) {
      const r = await control('POST', '/accounts', { pace: { queueDelayMs: 20, perItemMs: 1 }, oauthRedirectUris: ['http://127.0.0.1/oauth/callback'], ...options });
      if (r.status !== 201) throw new Error(`sandbox account: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.account as SandboxAccount;
    },
    async snapshot(subdomain) {
      return (await control('GET', `/accounts/${subdomain}/snapshot`)).body as SandboxSnapshot;
    },
    async faults(subdomain, faults) {
      const r = await control('PUT', `/accounts/${subdomain}/faults`, faults);
      if (r.status !== 200) throw new Error(`sandbox faults: ${r.status} ${JSON.stringify(r.body)}`);
    },
    apiTokenConfig: (a) => ({ method: 'api_token', subdomain: a.subdomain, email: a.adminEmail, apiToken: a.apiToken, baseUrlTemplate: `${url}/{subdomain}` }),
    connect(config, deps = {}) {
      const parsed = zendeskConfigSchema.parse({ baseUrlTemplate: `${url}/{subdomain}`, jobPollIntervalMs: 25, ...config });
      return connectZendesk(parsed, testDeps(deps.pacer, deps));
    },
    close: () => sandbox.close(),
  };
  return h;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1] as string] = (m[2] as string).replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return out;
}

/** Drives the sandbox's sign-in and consent pages as an admin would; returns the redirect back to Roster. */
export async function consentInSandbox(authorizeUrl: string, account: SandboxAccount, base: string): Promise<URL> {
  const signIn = await (await fetch(authorizeUrl)).text();
  const login = await fetch(`${base}/access/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ ...hiddenFields(signIn), email: account.adminEmail, password: account.adminPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const consent = await (await fetch(new URL(login.headers.get('location') ?? '', base).toString(), { headers: { cookie } })).text();
  const decided = await fetch(`${base}/oauth/authorizations`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: form({ ...hiddenFields(consent), decision: 'allow' }),
  });
  return new URL(decided.headers.get('location') ?? '');
}
