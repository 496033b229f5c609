import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/errors.ts';
import { blankUser } from '../store/user-record.ts';
import { authorize, scopesAllow } from './authorize.ts';

const agent = { ...blankUser(1, 'a', ''), role: 'agent' as const };

describe('authorize', () => {
  it('matches broad and resource scopes', () => {
    expect(scopesAllow(['read'], { access: 'read', resource: 'users' })).toBe(true);
    expect(scopesAllow(['users:read'], { access: 'read', resource: 'users' })).toBe(true);
    expect(scopesAllow(['users:read'], { access: 'write', resource: 'users' })).toBe(false);
    expect(scopesAllow(['users:read'], { access: 'read' })).toBe(false);
  });

  it('refuses anonymous with 401 and non-admins on admin routes with 403', () => {
    const status = (fn: () => void) => {
      try {
        fn();
        return 200;
      } catch (e) {
        return (e as ApiError).problem.status;
      }
    };
    expect(status(() => authorize({ kind: 'anonymous' }, 'agent', undefined))).toBe(401);
    expect(status(() => authorize({ kind: 'user', user: agent, via: 'api_token' }, 'admin', undefined))).toBe(403);
    expect(status(() => authorize({ kind: 'user', user: agent, via: 'api_token' }, 'agent', undefined))).toBe(200);
  });
});
