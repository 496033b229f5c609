import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';

describe('Router', () => {
  const r = new Router<string>();
  r.add('GET', '/api/v2/users/:id', 'show');
  r.add('GET', '/api/v2/users/show_many', 'showMany');
  r.add('PUT', '/api/v2/users/:id/group_memberships/:mid/make_default', 'makeDefault');

  it('prefers static segments over params', () => {
    expect(r.match('GET', '/api/v2/users/show_many')?.route).toBe('showMany');
    expect(r.match('GET', '/api/v2/users/12')).toEqual({ route: 'show', params: { id: '12' } });
  });

  it('captures nested params and rejects unknown methods or paths', () => {
    expect(r.match('PUT', '/api/v2/users/1/group_memberships/2/make_default')?.params).toEqual({ id: '1', mid: '2' });
    expect(r.match('DELETE', '/api/v2/users/12')).toBeUndefined();
    expect(r.match('GET', '/api/v2/nothing')).toBeUndefined();
  });
});
