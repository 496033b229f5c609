/**
 * What the Connection badge says: the truth of the saved credentials, not merely that some are
 * stored. A failed last Test connection reads *Not working* with its cause; credentials saved but
 * never tested say so.
 */

export interface ConnectionFacts {
  /** One of the connector's methods; `oauth` is the authorization code flow (Authorize). */
  method: string | null;
  connected: boolean;
  lastTest: { ok: boolean; at: string; cause: string | null } | null;
}

export interface ConnectionLook {
  label: string;
  color: string;
  /** Why it is not working, in the connector's words; null when it works or was never tested. */
  cause: string | null;
}

/** `methodLabel`: the saved method's label from the connector's connection methods. */
export function connectionLook(c: ConnectionFacts, methodLabel?: string): ConnectionLook {
  const how = methodLabel ?? (c.method === 'oauth' ? 'OAuth' : 'API token');
  if (!c.connected) return { label: c.method === 'oauth' ? 'Not authorized yet' : 'Not connected', color: 'gray', cause: null };
  if (c.lastTest && !c.lastTest.ok) return { label: 'Not working', color: 'red', cause: c.lastTest.cause ?? 'The last Test connection failed.' };
  if (!c.lastTest) return { label: `Connected (${how}) — not tested yet`, color: 'yellow', cause: null };
  return { label: `Connected (${how})`, color: 'green', cause: null };
}

/**
 * Test connection checks what the form holds when the required fields of a method that works once
 * saved (any but `oauth`, whose client the target checks on its consent page) are all typed
 * (`required`, default every field given), else the saved credentials.
 */
export const testsTypedValues = (method: string, typed: Readonly<Record<string, string>>, required: readonly string[] = Object.keys(typed)): boolean =>
  method !== 'oauth' && required.every((k) => (typed[k] ?? '').trim() !== '');
