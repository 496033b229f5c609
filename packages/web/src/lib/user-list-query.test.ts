import { describe, expect, it } from 'vitest';
import { readUserListState, userListQuery, writeUserListState } from './user-list-query.ts';

describe('user list state', () => {
  it('reads defaults from an empty address and writes them back as nothing', () => {
    const s = readUserListState(new URLSearchParams());
    expect(s).toEqual({ q: '', status: '', department: '', sort: 'displayName', order: 'asc', limit: 50 });
    expect(writeUserListState(s).toString()).toBe('');
  });

  it('round-trips search, filters and sort, and ignores values the API would refuse', () => {
    const s = readUserListState(new URLSearchParams('q=ada&status=inactive&department=Sales&sort=email&order=desc&limit=100'));
    expect(readUserListState(writeUserListState(s))).toEqual(s);
    expect(readUserListState(new URLSearchParams('status=gone&sort=password&limit=7&order=sideways'))).toMatchObject({ status: '', sort: 'displayName', limit: 50, order: 'asc' });
  });

  it('builds the API query with the cursor and without empty filters', () => {
    const s = readUserListState(new URLSearchParams('q=%20ada%20&department=%20'));
    expect(userListQuery(s, undefined)).toEqual({ q: 'ada', sort: 'displayName', order: 'asc', limit: 50 });
    expect(userListQuery({ ...s, status: 'active' }, 'abc')).toEqual({ q: 'ada', status: 'active', sort: 'displayName', order: 'asc', limit: 50, cursor: 'abc' });
  });
});
