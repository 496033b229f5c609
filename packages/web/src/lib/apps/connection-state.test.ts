import { describe, expect, it } from 'vitest';
import { connectionLook, testsTypedValues } from './connection-state.ts';

describe('the Connection badge tells the truth', () => {
  it('a saved connection whose last test failed is Not working, with the cause', () => {
    const look = connectionLook({ method: 'api_token', connected: true, lastTest: { ok: false, at: '2026-12-07T01:00:00Z', cause: 'authenticate: the API token was refused' } });
    expect(look).toEqual({ label: 'Not working', color: 'red', cause: 'authenticate: the API token was refused' });
  });

  it('passing, untested and missing credentials', () => {
    expect(connectionLook({ method: 'oauth', connected: true, lastTest: { ok: true, at: 'x', cause: null } })).toMatchObject({ label: 'Connected (OAuth)', color: 'green' });
    expect(connectionLook({ method: 'api_token', connected: true, lastTest: null })).toMatchObject({ label: 'Connected (API token) — not tested yet', color: 'yellow' });
    expect(connectionLook({ method: 'oauth', connected: false, lastTest: null }).label).toBe('Not authorized yet');
    expect(connectionLook({ method: null, connected: false, lastTest: null }).label).toBe('Not connected');
  });

  it('tests typed values only when an API token and email are typed', () => {
    expect(testsTypedValues('api_token', { adminEmail: 'a@b.test', apiToken: 'tok' })).toBe(true);
    expect(testsTypedValues('api_token', { adminEmail: 'a@b.test', apiToken: ' ' })).toBe(false);
    expect(testsTypedValues('oauth', { adminEmail: 'a@b.test', apiToken: 'tok' })).toBe(false);
  });
});
