/**
 * Rate-limit headers as SCIM apps send them (RFC 7644 names none): `Retry-After` (RFC 9110 §10.2.3,
 * read in http.ts), the de-facto `X-RateLimit-Limit` / `-Remaining` / `-Reset` (also spelled
 * `X-Rate-Limit-*`), and the IETF draft's (draft-ietf-httpapi-ratelimit-headers) `RateLimit-Limit` /
 * `-Remaining` / `-Reset` with `RateLimit-Policy: 100;w=60`, or its later form
 * `RateLimit-Policy: "default";q=100;w=60` with `RateLimit: "default";r=50;t=30`.
 *
 * The shared pacer counts per minute. A limit is passed on only when its window is stated (a
 * policy's `w`): `X-RateLimit-Limit: 5000` alone may be per hour (GitHub) or per minute (Okta),
 * and a limit read as per minute that is really per hour would be final and far too high.
 * `remaining` and `reset` are always passed on: the pacer pauses until the reset when the budget
 * is spent (e.g. by another integration of the same app).
 */

export interface AppBudget {
  /** Requests per minute, from a limit and its stated window. */
  limit?: number;
  remaining?: number;
  /** Seconds until the app's window resets. */
  resetSeconds?: number;
}

const num = (v: string | null | undefined): number | undefined => {
  if (v === null || v === undefined) return undefined;
  const t = v.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
};

/** A structured-field-like list item, e.g. `100;w=60` or `"default";q=100;w=60`: its bare value and parameters. */
function item(v: string): { value: string; params: Record<string, string> } {
  const [head = '', ...rest] = (v.split(',')[0] ?? '').split(';').map((p) => p.trim());
  const params: Record<string, string> = {};
  for (const p of rest) {
    const [k, val] = p.split('=').map((s) => s.trim());
    if (k && val !== undefined) params[k.toLowerCase()] = val.replace(/^"|"$/g, '');
  }
  return { value: head.replace(/^"|"$/g, ''), params };
}

/** `a=1, b=2` (the draft's first combined `RateLimit` header). */
function pairs(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of v.split(',')) {
    const [k, val] = p.split('=').map((s) => s.trim());
    if (k && val !== undefined) out[k.toLowerCase()] = val;
  }
  return out;
}

/** Seconds until a reset given as delta seconds, or as a Unix time (values past 10^9). */
function resetOf(v: number | undefined, nowMs: number): number | undefined {
  if (v === undefined) return undefined;
  return v > 1e9 ? Math.max(0, Math.ceil(v - nowMs / 1000)) : Math.ceil(v);
}

export function appBudget(headers: Headers, nowMs: number): AppBudget {
  const h = (name: string) => headers.get(name);
  const policy = h('ratelimit-policy') ?? h('x-ratelimit-policy');
  const combined = h('ratelimit');
  let limit = num(h('ratelimit-limit')) ?? num(h('x-ratelimit-limit')) ?? num(h('x-rate-limit-limit'));
  let remaining = num(h('ratelimit-remaining')) ?? num(h('x-ratelimit-remaining')) ?? num(h('x-rate-limit-remaining'));
  let reset = resetOf(num(h('ratelimit-reset')) ?? num(h('x-ratelimit-reset')) ?? num(h('x-rate-limit-reset')), nowMs);
  let windowSeconds: number | undefined;
  if (policy) {
    const p = item(policy);
    limit ??= num(p.params['q']) ?? num(p.value);
    windowSeconds = num(p.params['w']);
  }
  // `X-RateLimit-Limit: 100, 100;w=60` (the draft's limit with its policy in one header).
  const rawLimit = h('ratelimit-limit') ?? h('x-ratelimit-limit');
  if (windowSeconds === undefined && rawLimit?.includes(';')) {
    const parts = rawLimit.split(',').map((x) => item(x));
    const withWindow = parts.find((x) => x.params['w'] !== undefined);
    if (withWindow) {
      limit ??= num(withWindow.value);
      windowSeconds = num(withWindow.params['w']);
      limit = num(rawLimit.split(',')[0]) ?? limit;
    }
  }
  if (combined) {
    const later = item(combined);
    const earlier = pairs(combined);
    remaining ??= num(later.params['r']) ?? num(earlier['remaining']);
    reset ??= resetOf(num(later.params['t']) ?? num(earlier['reset']), nowMs);
    limit ??= num(earlier['limit']);
  }
  const out: AppBudget = {};
  if (limit !== undefined && limit > 0 && windowSeconds !== undefined && windowSeconds > 0) out.limit = Math.max(1, Math.floor((limit * 60) / windowSeconds));
  if (remaining !== undefined) out.remaining = remaining;
  if (reset !== undefined) out.resetSeconds = reset;
  return out;
}
