import { describe, expect, it } from 'vitest';
import { blankUser } from './user-record.ts';
import { UserStore } from './users.ts';

function user(id: number, email: string, externalId: string | null) {
  const u = blankUser(id, `u${id}`, '2024-01-01T00:00:00Z');
  u.identities.push({ id: id + 1, userId: id, type: 'email', value: email, primary: true, verified: false, createdAt: '', updatedAt: '' });
  u.externalId = externalId;
  return u;
}

describe('UserStore', () => {
  it('finds users by email and external_id case-insensitively', () => {
    const s = new UserStore();
    s.insert(user(10, 'A@x.com', 'Ext-1'));
    expect(s.findByEmail('a@X.com')?.id).toBe(10);
    expect(s.findByExternalId('EXT-1')?.id).toBe(10);
  });

  it('seeks by id with binary search and removes users', () => {
    const s = new UserStore();
    for (const id of [10, 20, 30, 40]) s.insert(user(id, `${id}@x.com`, null));
    expect(s.indexAfter(0)).toBe(0);
    expect(s.indexAfter(20)).toBe(2);
    expect(s.indexAfter(25)).toBe(2);
    expect(s.indexAfter(40)).toBe(4);
    s.remove(s.get(20) as ReturnType<typeof user>);
    expect(s.ordered.map((u) => u.id)).toEqual([10, 30, 40]);
    expect(s.findByEmail('20@x.com')).toBeUndefined();
  });

  it('refuses a taken id and keeps a lower (reused) id in order', () => {
    const s = new UserStore();
    s.insert(user(10, 'a@x.com', null));
    s.insert(user(30, 'c@x.com', null));
    expect(() => s.insert(user(10, 'b@x.com', null))).toThrow();
    s.insert(user(20, 'b@x.com', null));
    expect(s.ordered.map((u) => u.id)).toEqual([10, 20, 30]);
  });
});
