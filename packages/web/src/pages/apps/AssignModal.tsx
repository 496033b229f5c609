/**
 * Assign users or groups with one role. Several at once go through the bulk endpoint (all or
 * nothing); the role list is the account's (custom roles included) once connected.
 */
import { Button, Group, Modal, MultiSelect, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { type AppView, type RoleOption, appKeys } from './app-api.ts';

type Kind = 'user' | 'group';

export function AssignModal({ app, roles, onClose }: { app: AppView; roles: RoleOption[]; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('user');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [selected, setSelected] = useState<string[]>([]);
  const [known, setKnown] = useState<Record<string, string>>({});
  const [role, setRole] = useState<string | null>(null);

  const found = useQuery({
    queryKey: ['assign-search', kind, debounced],
    queryFn: async () => {
      const q = debounced.trim() || undefined;
      if (kind === 'user') {
        const page = await unwrap(api.GET('/api/users', { params: { query: { limit: 20, status: 'active', ...(q ? { q } : {}) } } }));
        return page.items.map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` }));
      }
      const page = await unwrap(api.GET('/api/groups', { params: { query: { limit: 20, ...(q ? { q } : {}) } } }));
      return page.items.map((g) => ({ value: g.id, label: g.name }));
    },
  });
  const data = [...(found.data ?? []), ...selected.filter((id) => !found.data?.some((d) => d.value === id)).map((id) => ({ value: id, label: known[id] ?? id }))];

  const assign = useMutation({
    mutationFn: async () => {
      if (!role) throw new Error('Pick a role.');
      const roleLabel = roles.find((r) => r.key === role)?.label ?? role;
      const path = { id: app.id };
      if (selected.length === 1) {
        await unwrap(api.POST('/api/apps/{id}/assignments', { params: { path }, body: { principalType: kind, principalId: selected[0]!, role, roleLabel } }));
        return 1;
      }
      const r = await unwrap(api.POST('/api/apps/{id}/assignments/bulk', { params: { path }, body: { assignments: selected.map((principalId) => ({ principalType: kind, principalId, role, roleLabel })) } }));
      return r.created + r.updated;
    },
    onSuccess: async (n) => {
      notifications.show({ color: 'green', message: `${n} assignment${n === 1 ? '' : 's'} saved.` });
      await queryClient.invalidateQueries({ queryKey: appKeys.assignments(app.id) });
      onClose();
    },
  });

  return (
    <Modal opened onClose={onClose} title="Assign users or groups" size="lg">
      <Stack>
        <SegmentedControl
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            setSelected([]);
          }}
          data={[
            { value: 'user', label: 'Users' },
            { value: 'group', label: 'Groups' },
          ]}
          aria-label="Assign users or groups"
        />
        <MultiSelect
          label={kind === 'user' ? 'Users' : 'Groups'}
          placeholder="Type to search"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options }) => options}
          data={data}
          value={selected}
          onChange={(ids) => {
            setKnown((k) => ({ ...k, ...Object.fromEntries(data.filter((d) => ids.includes(d.value)).map((d) => [d.value, d.label])) }));
            setSelected(ids);
          }}
          nothingFoundMessage={found.isFetching ? 'Searching…' : 'Nobody matches'}
        />
        <Select
          label="Role"
          description={`Picked from the ${app.typeName} account's roles. Billing admin only goes to admins.`}
          data={roles.map((r) => ({ value: r.key, label: r.label }))}
          value={role}
          onChange={setRole}
          allowDeselect={false}
        />
        {assign.error && (
          <Text c="red" size="sm" role="alert">
            {describeError(assign.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => assign.mutate()} disabled={selected.length === 0 || !role} loading={assign.isPending}>
            Assign {selected.length > 1 ? `${selected.length} ${kind}s` : ''}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
