import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses defaults when nothing is set', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.port).toBe(8080);
    expect(r.value.publicUrl).toBe('http://127.0.0.1:8080');
    expect(r.value.databaseUrl).toBeUndefined();
    expect(r.value.worker).toBe(true);
  });

  it('lets a flag win over the environment', () => {
    const r = loadConfig({ ROSTER_PORT: '9000' }, { port: '9100' });
    expect(r.ok && r.value.port).toBe(9100);
  });

  it('names every bad value at once, by the variable or flag it came from', () => {
    const r = loadConfig(
      { ROSTER_PORT: 'eighty', DATABASE_URL: 'mysql://x', ROSTER_SECRET_KEY: 'short' },
      { adminEmail: 'not-an-email' },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.error.join('\n');
    expect(text).toMatch(/ROSTER_PORT: must be a whole number/);
    expect(text).toMatch(/DATABASE_URL: must start with postgres/);
    expect(text).toMatch(/ROSTER_SECRET_KEY: must be 32 bytes/);
    expect(text).toMatch(/--admin-email: must be an email/);
    expect(r.error).toHaveLength(4);
  });

  it('reads trust-proxy as a flag, a hop count or a list of addresses', () => {
    const values = ['false', 'true', '2', '10.0.0.0/8, 127.0.0.1'].map((v) => {
      const r = loadConfig({ ROSTER_TRUST_PROXY: v });
      return r.ok ? r.value.trustProxy : 'error';
    });
    expect(values).toEqual([false, true, 2, ['10.0.0.0/8', '127.0.0.1']]);
  });

  it('accepts a hex secret key as 32 bytes', () => {
    const r = loadConfig({ ROSTER_SECRET_KEY: 'ab'.repeat(32) });
    expect(r.ok && r.value.secretKey?.length).toBe(32);
  });

  it('reads an SMTP URL (smtp or smtps) and a sender; anything else is named', () => {
    const r = loadConfig({ ROSTER_SMTP_URL: 'smtps://mailer:s3cret@mail.example.com:465' });
    expect(r.ok && r.value.smtpUrl).toBe('smtps://mailer:s3cret@mail.example.com:465');
    expect(r.ok && r.value.mailFrom).toBe('Roster <roster@localhost>');
    const bad = loadConfig({ ROSTER_SMTP_URL: 'http://mail.example.com' });
    expect(bad.ok ? [] : bad.error).toEqual(['ROSTER_SMTP_URL: must be an smtp:// or smtps:// URL']);
  });
});
