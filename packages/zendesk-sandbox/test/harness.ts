import { createSandbox, type Sandbox, type SandboxOptions } from '../src/index.ts';

/** Response bodies in tests: asserted structurally with expect(), so an untyped value is clearer than casts. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

/** A sandbox on a free port plus helpers for talking to it over real HTTP. */
export interface Harness {
  readonly sandbox: Sandbox;
  readonly url: string;
  /** Basic auth header for `email/token:apiToken`. */
  tokenAuth(email: string, token?: string): string;
  /** Admin auth of the default account. */
  readonly admin: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Json; headers: Headers; text: string }>;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  close(): Promise<void>;
}

/** Starts a sandbox whose default account has limits off and a fast job pace unless told otherwise. */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = createSandbox({
    ...options,
    defaultAccount: {
      subdomain: 'acme',
      adminEmail: 'admin@acme.test',
      adminPassword: 'pw-admin',
      apiToken: 'tok-admin',
      plan: 'unlimited',
      pace: { queueDelayMs: 5, perItemMs: 1, concurrency: 1 },
      ...options.defaultAccount,
    },
  });
  const { url } = await sandbox.listen(0);
  const tokenAuth = (email: string, token = 'tok-admin') => `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
  const call: Harness['call'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { authorization: tokenAuth('admin@acme.test'), ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${url}${path}`, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
  const control: Harness['control'] = async (method, path, body) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return { sandbox, url, tokenAuth, admin: tokenAuth('admin@acme.test'), call, control, close: () => sandbox.close() };
}
