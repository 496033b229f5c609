/**
 * Users: server-side search, filters, sort and cursor paging (the list can hold 100k users; the
 * page never loads more than one page). Search, filters and sort live in the address.
 */
import { Badge, Button, Group, Select, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable, type DataTableSortStatus } from 'mantine-datatable';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import type { User } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from '../../lib/cursor-pages.ts';
import { type UserListState, pageSizes, readUserListState, userListQuery, writeUserListState } from '../../lib/user-list-query.ts';
import { CreateUserModal } from './CreateUserModal.tsx';

export function UsersPage() {
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => readUserListState(params), [params]);
  const [pages, setPages] = useState(firstPage);
  const [search, setSearch] = useState(state.q);
  const [debounced] = useDebouncedValue(search, 250);
  const [creating, { open, close }] = useDisclosure(false);
  const { can } = useSession();

  const update = (patch: Partial<UserListState>) => {
    setPages(firstPage());
    setParams(writeUserListState({ ...state, ...patch }), { replace: true });
  };
  // The search box writes to the address once typing pauses.
  useEffect(() => {
    if (debounced.trim() !== state.q) update({ q: debounced });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled search should move the address
  }, [debounced]);
  // The Department filter too: it applies as you type, once typing pauses.
  const [department, setDepartment] = useState(state.department);
  const [debouncedDepartment] = useDebouncedValue(department, 300);
  useEffect(() => {
    if (debouncedDepartment.trim() !== state.department) update({ department: debouncedDepartment });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled filter should move the address
  }, [debouncedDepartment]);

  const query = userListQuery(state, currentCursor(pages));
  const users = useQuery({ queryKey: ['users', query], queryFn: () => unwrap(api.GET('/api/users', { params: { query } })), placeholderData: keepPreviousData });
  const sortStatus: DataTableSortStatus<User> = { columnAccessor: state.sort, direction: state.order };
  const filtered = Boolean(state.q || state.status || state.department);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone in the directory. Search matches the start of names and emails."
        actions={
          can('manage_users') && (
            <Button onClick={open} data-autofocus>
              Add user
            </Button>
          )
        }
      />
      <Group align="flex-end" gap="sm" mb="sm" wrap="wrap">
        <TextInput label="Search" placeholder="Name or email" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={{ base: '100%', xs: 260 }} type="search" />
        <Select
          label="Status"
          w={150}
          data={[
            { value: '', label: 'All' },
            { value: 'active', label: 'Active' },
            { value: 'inactive', label: 'Inactive' },
          ]}
          value={state.status}
          allowDeselect={false}
          onChange={(v) => update({ status: (v ?? '') as UserListState['status'] })}
        />
        <TextInput label="Department" placeholder="Whole name, any case" value={department} w={200} onChange={(e) => setDepartment(e.currentTarget.value)} />
      </Group>
      {users.isError ? (
        <ErrorState error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <DataTable<User>
          aria-label="Users"
          withTableBorder
          striped
          highlightOnHover
          minHeight={users.data?.items.length ? 0 : 220}
          fetching={users.isFetching}
          records={users.data?.items ?? []}
          idAccessor="id"
          sortStatus={sortStatus}
          onSortStatusChange={(s) => update({ sort: s.columnAccessor as UserListState['sort'], order: s.direction })}
          noRecordsText=""
          emptyState={
            users.isPending ? (
              <span />
            ) : (
              <EmptyState title={filtered ? 'No users match' : 'No users yet'}>{filtered ? 'Change the search or the filters.' : 'Add a user or import a CSV file.'}</EmptyState>
            )
          }
          columns={[
            {
              accessor: 'displayName',
              title: 'Name',
              sortable: true,
              render: (u) => (
                <Link to={`/users/${u.id}`} style={{ color: 'var(--mantine-color-anchor)' }}>
                  {u.displayName}
                </Link>
              ),
            },
            { accessor: 'email', sortable: true },
            { accessor: 'department', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})` },
            { accessor: 'jobTitle', title: 'Job title', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.md})` },
            { accessor: 'status', render: (u) => <Badge color={u.status === 'active' ? 'green' : 'gray'}>{u.status}</Badge> },
            { accessor: 'createdAt', title: 'Created', sortable: true, render: (u) => new Date(u.createdAt).toLocaleDateString(), visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.md})` },
          ]}
        />
      )}
      <CursorPager
        page={pageNumber(pages)}
        hasNext={Boolean(users.data?.nextCursor)}
        busy={users.isFetching}
        onPrevious={() => setPages(previousPage)}
        onNext={() => setPages((p) => nextPage(p, users.data?.nextCursor))}
        pageSize={state.limit}
        pageSizes={pageSizes}
        onPageSize={(limit) => update({ limit })}
      />
      <CreateUserModal opened={creating} onClose={close} />
    </>
  );
}
