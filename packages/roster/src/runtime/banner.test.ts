import { describe, expect, it } from 'vitest';
import { describeDatabase, formatBanner, frameBanner, readyLogRecord } from './banner.ts';

describe('formatBanner', () => {
  const base = { url: 'http://127.0.0.1:8080', database: 'embedded PGlite in /d/pglite', worker: true, owner: { email: 'o@x.test' } };

  it('shows the admin URL, the docs, the owner and the database', () => {
    const text = formatBanner(base);
    expect(text).toContain('http://127.0.0.1:8080/');
    expect(text).toContain('http://127.0.0.1:8080/api/docs');
    expect(text).toContain('o@x.test');
    expect(text).toContain('embedded PGlite in /d/pglite');
    expect(text).not.toMatch(/one-time/);
    expect(text).not.toMatch(/sandbox/i);
    expect(text).toContain("CLI sign-in     ROSTER_PASSWORD='<your password>' npx roster login --email o@x.test");
    expect(text).not.toContain('--new-password');
  });

  it('shows the one-time password and the sandbox credentials when given', () => {
    const text = formatBanner({
      ...base,
      worker: false,
      owner: { email: 'o@x.test', oneTimePassword: 'pw-123' },
      sandbox: { url: 'http://127.0.0.1:4010', subdomain: 'roster', adminEmail: 'a@z.test', adminPassword: 'zpw', apiToken: 'tok', oauthClient: 'roster / sec' },
    });
    expect(text).toMatch(/one-time pw\s+pw-123/);
    expect(text).toContain('http://127.0.0.1:4010');
    expect(text).toContain('a@z.test / zpw');
    expect(text).toContain('roster worker');
    expect(text).toContain("ROSTER_PASSWORD='<one-time pw>' npx roster login --email o@x.test --new-password '<your new password>'");
  });
});

describe('describeDatabase', () => {
  it('hides a PostgreSQL password', () => {
    expect(describeDatabase('postgres', 'postgres://u:secret@db:5432/roster')).toBe('PostgreSQL postgres://u:***@db:5432/roster');
    expect(describeDatabase('pglite', '/data/pglite')).toBe('embedded PGlite in /data/pglite');
  });

  const base = { url: 'http://127.0.0.1:8080', database: 'embedded PGlite in /d/pglite', worker: true, owner: { email: 'o@x.test' } };

  it('is framed as one block when logs are JSON, and left as it is on a terminal', () => {
    const text = formatBanner({ ...base, owner: { email: 'o@x.test', oneTimePassword: 'pw-123' } });
    expect(frameBanner(text, false)).toBe(text);
    const framed = frameBanner(text, true).split('\n');
    const rules = framed.flatMap((l, i) => (/^=+$/.test(l) ? [i] : []));
    expect(rules).toHaveLength(2);
    const block = framed.slice(rules[0]! + 1, rules[1]);
    expect(block[0]).toBe('Roster is running');
    expect(block.join('\n')).toContain('pw-123');
    expect(block.every((l) => !l.startsWith('{'))).toBe(true);
  });

  it('the ready log record carries where to go, never the one-time password', () => {
    const record = readyLogRecord({ ...base, owner: { email: 'o@x.test', oneTimePassword: 'pw-123' } });
    expect(record).toEqual({ adminUrl: 'http://127.0.0.1:8080/', apiDocs: 'http://127.0.0.1:8080/api/docs', owner: 'o@x.test', oneTimePasswordInBanner: true });
    expect(JSON.stringify(record)).not.toContain('pw-123');
  });
});
