import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../../test/test-app.ts';
import { openTestDatabase } from '../../../test/test-database.ts';

describe.each(openTestDatabase.drivers())('provisioning settings before a connection on %s', (driver) => {
  let h: TestApp;
  beforeAll(async () => {
    h = await openTestApp(driver);
  });
  afterAll(async () => h?.close());

  it("checks mappings against the connector's built-in fields: custom account fields are unknown until connected", async () => {
    const created = await h.app.inject({ method: 'POST', url: '/api/apps', headers: h.owner.headers, payload: { type: 'zendesk', displayName: 'Z', settings: { subdomain: 'builtin' } } });
    const id = created.json().id as string;
    const map = (target: string, attribute: string) => ({ target, source: { kind: 'attribute', attribute } });
    const patch = (mappings: unknown[], version: number) =>
      h.app.inject({ method: 'PATCH', url: `/api/apps/${id}/provisioning`, headers: { ...h.owner.headers, 'if-match': `"${version}"` }, payload: { settings: { mappings } } });
    const base = [map('name', 'displayName'), map('external_id', 'id'), map('email', 'email')];
    const custom = await patch([map('user_fields.department', 'department'), ...base], 1);
    expect(custom.statusCode).toBe(400);
    expect(custom.json().error.issues).toEqual([{ path: 'body.settings.mappings.0.target', reason: expect.any(String) }]);
    const builtIn = await patch([map('phone', 'phone'), ...base], 1);
    expect(builtIn.statusCode).toBe(200);
    expect(builtIn.json().settings.mappings.map((m: { target: string }) => m.target)).toEqual(['phone', 'name', 'external_id', 'email']);
  });
});
