/**
 * Every connector's connection form (its `connectionMethods`, which the admin UI renders) fills a
 * body the connection API accepts, and names every field the API requires: the form and the schema
 * cannot drift apart.
 */
import { describe, expect, it } from 'vitest';
import { connectorFor, connectorTypes } from '../../connectors/registry.ts';
import type { ConnectionFormField } from '../../connectors/target-facts.ts';
import { connectionInputSchemaFor } from './connection-schema.ts';

const sample = (f: ConnectionFormField): string => (f.type === 'email' ? 'admin@example.com' : f.type === 'url' ? 'https://example.com' : `sample-${f.key}`);

const methods = connectorTypes().flatMap((type) => (connectorFor(type)?.connectionMethods ?? []).map((m) => [type, m.method, m] as const));
const schemaOf = (type: string) => connectionInputSchemaFor(connectorFor(type)?.connectionMethods ?? []);

describe('connection forms', () => {
  it('every connector offers at least one way to connect', () => {
    for (const type of connectorTypes()) expect(connectorFor(type)?.connectionMethods.length, type).toBeGreaterThan(0);
  });

  it.each(methods)('%s %s: the form filled in is a body the API accepts', (type, method, form) => {
    const body = { method, ...Object.fromEntries(form.fields.map((f) => [f.key, sample(f)])) };
    expect(schemaOf(type).safeParse(body).error?.issues ?? []).toEqual([]);
  });

  it.each(methods)('%s %s: leaving out a required field is refused naming it', (type, method, form) => {
    for (const f of form.fields.filter((x) => x.required)) {
      const body = { method, ...Object.fromEntries(form.fields.filter((x) => x !== f).map((x) => [x.key, sample(x)])) };
      const r = schemaOf(type).safeParse(body);
      expect(r.success, f.key).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.'))).toContain(f.key);
    }
  });

  it("refuses another connector's method, a field of another method and a bad URL, naming each", () => {
    const scim = schemaOf('scim');
    expect(scim.safeParse({ method: 'api_token', adminEmail: 'a@b.test', apiToken: 't' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['method']);
    expect(scim.safeParse({ method: 'bearer', token: 't', password: 'p' }).error?.issues.map((i) => i.path.join('.') + ' ' + i.code)).toEqual([' unrecognized_keys']);
    const bad = scim.safeParse({ method: 'oauth_client_credentials', tokenUrl: 'ftp://x', clientId: 'c', clientSecret: 's' });
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['tokenUrl', 'must be an http(s) URL']]);
  });

  it('drops an optional field left empty, as the form sends it', () => {
    expect(schemaOf('scim').parse({ method: 'oauth_client_credentials', tokenUrl: 'https://x.test/t', clientId: 'c', clientSecret: 's', scope: '' })).toEqual({ method: 'oauth_client_credentials', tokenUrl: 'https://x.test/t', clientId: 'c', clientSecret: 's' });
  });
});
