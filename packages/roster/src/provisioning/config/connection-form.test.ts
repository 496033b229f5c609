/**
 * Every connector's connection form (its `connectionMethods`, which the admin UI renders) fills a
 * body the connection API accepts, and names every field the API requires: the form and the schema
 * cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { connectorFor, connectorTypes } from '../../connectors/registry.ts';
import type { ConnectionFormField } from '../../connectors/target-facts.ts';
import { connectionInputSchema } from './connection-schema.ts';

const sample = (f: ConnectionFormField): string => (f.type === 'email' ? 'admin@example.com' : f.type === 'url' ? 'https://example.com' : `sample-${f.key}`);

const methods = connectorTypes().flatMap((type) => (connectorFor(type)?.connectionMethods ?? []).map((m) => [type, m.method, m] as const));

describe('connection forms', () => {
  it('every connector offers at least one way to connect', () => {
    for (const type of connectorTypes()) expect(connectorFor(type)?.connectionMethods.length, type).toBeGreaterThan(0);
  });

  it.each(methods)('%s %s: the form filled in is a body the API accepts', (_type, method, form) => {
    const body = { method, ...Object.fromEntries(form.fields.map((f) => [f.key, sample(f)])) };
    expect(connectionInputSchema.safeParse(body).error?.issues ?? []).toEqual([]);
  });

  it.each(methods)('%s %s: leaving out a required field is refused naming it', (_type, method, form) => {
    for (const f of form.fields.filter((x) => x.required)) {
      const body = { method, ...Object.fromEntries(form.fields.filter((x) => x !== f).map((x) => [x.key, sample(x)])) };
      const r = connectionInputSchema.safeParse(body);
      expect(r.success, f.key).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(f.key);
    }
  });
});
