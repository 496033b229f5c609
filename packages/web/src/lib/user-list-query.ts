/**
 * The Users list keeps its search, filters and sort in the address (shareable, survives reload);
 * this turns those search params into GET /api/users query parameters and back.
 */
import type { UserQuery, UserSort } from '../api/types.ts';

export interface UserListState {
  q: string;
  status: 'active' | 'inactive' | '';
  department: string;
  sort: UserSort;
  order: 'asc' | 'desc';
  limit: number;
}

const sorts: readonly UserSort[] = ['displayName', 'email', 'createdAt'];
export const pageSizes = [25, 50, 100] as const;

export function readUserListState(params: URLSearchParams): UserListState {
  const status = params.get('status');
  const sort = params.get('sort') as UserSort | null;
  const limit = Number(params.get('limit'));
  return {
    q: params.get('q') ?? '',
    status: status === 'active' || status === 'inactive' ? status : '',
    department: params.get('department') ?? '',
    sort: sort && sorts.includes(sort) ? sort : 'displayName',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
    limit: (pageSizes as readonly number[]).includes(limit) ? limit : 50,
  };
}

/** Search params for a state, leaving out defaults so addresses stay short. */
export function writeUserListState(s: UserListState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  if (s.status) p.set('status', s.status);
  if (s.department.trim()) p.set('department', s.department.trim());
  if (s.sort !== 'displayName') p.set('sort', s.sort);
  if (s.order !== 'asc') p.set('order', s.order);
  if (s.limit !== 50) p.set('limit', String(s.limit));
  return p;
}

/** Query parameters of GET /api/users for a state and the cursor of the page to show. */
export function userListQuery(s: UserListState, cursor: string | undefined): UserQuery {
  const q: UserQuery = { sort: s.sort, order: s.order, limit: s.limit };
  if (s.q.trim()) q.q = s.q.trim();
  if (s.status) q.status = s.status;
  if (s.department.trim()) q.department = s.department.trim();
  if (cursor) q.cursor = cursor;
  return q;
}
