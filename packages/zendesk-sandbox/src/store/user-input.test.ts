import { describe, expect, it } from 'vitest';
import { isEmail, parseUserInput } from './user-input.ts';

describe('parseUserInput', () => {
  it('accepts unknown keys and reports them with their path', () => {
    const r = parseUserInput({ name: 'A', colour: 'red' }, 'user');
    expect(r).toMatchObject({ ok: true, unknownKeys: ['user.colour'] });
  });

  it('coerces numeric external ids and numeric string ids', () => {
    const r = parseUserInput({ external_id: 42, custom_role_id: '7' }, 'user');
    expect(r.ok && r.input.external_id).toBe('42');
    expect(r.ok && r.input.custom_role_id).toBe(7);
  });

  it('answers 400 Invalid attribute for a wrong type', () => {
    const r = parseUserInput({ name: 5 }, 'users.0');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.status).toBe(400);
      expect(JSON.stringify(r.problem.body)).toContain('users.0.name');
    }
  });

  it('checks email format', () => {
    expect(isEmail('a@b.co')).toBe(true);
    expect(isEmail('a@b')).toBe(false);
  });
});
