/**
 * A searchable picker of users and/or groups that asks the server as the admin types (never loads
 * the whole directory). Values are `user:<id>` or `group:<id>`.
 */
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client.ts';

export interface PickedMember {
  memberType: 'user' | 'group';
  memberId: string;
  label: string;
}

export function parsePicked(value: string, label: string): PickedMember | null {
  const [type, id] = value.split(':');
  return (type === 'user' || type === 'group') && id ? { memberType: type, memberId: id, label } : null;
}

export function DirectoryPicker(props: { label: string; kinds?: readonly ('user' | 'group')[]; value: string | null; onChange: (value: string | null, label: string) => void; excludeGroupId?: string }) {
  const kinds = props.kinds ?? ['user', 'group'];
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 200);
  const users = useQuery({
    queryKey: ['picker-users', q],
    enabled: kinds.includes('user'),
    queryFn: () => unwrap(api.GET('/api/users', { params: { query: { limit: 20, sort: 'displayName', order: 'asc', ...(q ? { q } : {}) } } })),
  });
  const groups = useQuery({
    queryKey: ['picker-groups', q],
    enabled: kinds.includes('group'),
    queryFn: () => unwrap(api.GET('/api/groups', { params: { query: { limit: 20, ...(q ? { q } : {}) } } })),
  });
  const data = [
    ...(kinds.includes('user') ? [{ group: 'Users', items: (users.data?.items ?? []).map((u) => ({ value: `user:${u.id}`, label: `${u.displayName} <${u.email}>` })) }] : []),
    ...(kinds.includes('group')
      ? [{ group: 'Groups', items: (groups.data?.items ?? []).filter((g) => g.id !== props.excludeGroupId).map((g) => ({ value: `group:${g.id}`, label: `${g.name} (group)` })) }]
      : []),
  ].filter((g) => g.items.length > 0);
  const all = data.flatMap((g) => g.items);

  return (
    <Select
      label={props.label}
      placeholder="Type a name or email"
      searchable
      clearable
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      data={data}
      value={props.value}
      onChange={(v) => props.onChange(v, all.find((o) => o.value === v)?.label ?? '')}
      nothingFoundMessage={users.isFetching || groups.isFetching ? 'Searching…' : 'No match'}
    />
  );
}
