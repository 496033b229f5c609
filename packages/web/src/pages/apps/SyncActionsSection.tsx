/**
 * Sync actions (guide A steps 11–12): which changes flow to the target — create, update, delete,
 * activate/deactivate — and what unassigning does (delete or suspend); the same for groups.
 */
import { Button, Card, Checkbox, Group, Radio, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type ConfigView, type Settings, useTypeName } from './app-api.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { useSaveSettings } from './use-save-settings.ts';
import { type SectionProps, saveThenNext } from './flow-step.ts';
import { useReportDirty } from '../../components/UnsavedChanges.tsx';

type Actions = Settings['syncActions'];
type GroupActions = Settings['groupSyncActions'];

export function SyncActionsSection({ config, mayManage, flow, onDirtyChange }: { config: ConfigView; mayManage: boolean } & SectionProps) {
  const target = useTypeName(config.type);
  const [actions, setActions] = useState<Actions>(config.settings.syncActions);
  const [groupActions, setGroupActions] = useState<GroupActions>(config.settings.groupSyncActions);
  const save = useSaveSettings(config, 'Sync actions');
  const dirty = JSON.stringify(actions) !== JSON.stringify(config.settings.syncActions) || JSON.stringify(groupActions) !== JSON.stringify(config.settings.groupSyncActions);
  useReportDirty(dirty, onDirtyChange);
  const box = (key: 'create' | 'update' | 'delete' | 'activateDeactivate', label: string, description: string) => (
    <Checkbox label={label} description={description} checked={actions[key]} onChange={(e) => setActions({ ...actions, [key]: e.currentTarget.checked })} disabled={!mayManage} />
  );

  return (
    <Card withBorder aria-label="Sync actions">
      <Stack>
        <Text fw={600}>Sync actions</Text>
        {box('create', 'Create users', `Assigning a user creates the ${target} account, with the role picked at assignment.`)}
        {box('update', 'Update user profile', `Changes to mapped fields are pushed to existing ${target} accounts.`)}
        {box('delete', 'Delete users', `Unassigning a user removes the ${target} account (or suspends it, below).`)}
        {box('activateDeactivate', 'Activate and deactivate users', `Deactivated users are suspended in ${target}; reactivated ones are unsuspended.`)}
        <Radio.Group label="When a user is unassigned or leaves scope" value={actions.deprovision} onChange={(v) => setActions({ ...actions, deprovision: v as Actions['deprovision'] })}>
          <Group mt={4}>
            <Radio value="delete" label="Delete the account" disabled={!mayManage} />
            <Radio value="suspend" label="Suspend the account" disabled={!mayManage} />
          </Group>
        </Radio.Group>
        <Text size="sm" fw={500}>
          Groups
        </Text>
        <Group>
          {(['create', 'update', 'delete'] as const).map((k) => (
            <Checkbox key={k} label={`${k[0]!.toUpperCase()}${k.slice(1)} groups`} checked={groupActions[k]} onChange={(e) => setGroupActions({ ...groupActions, [k]: e.currentTarget.checked })} disabled={!mayManage} />
          ))}
        </Group>
        {save.conflict && <ConflictAlert onReload={() => void save.reload()} />}
        {mayManage && (
          <Group>
            {flow ? (
              <Button onClick={() => void saveThenNext(dirty, () => save.mutateAsync({ syncActions: actions, groupSyncActions: groupActions }), flow)} loading={save.isPending}>
                Save and next
              </Button>
            ) : (
              <Button onClick={() => save.mutate({ syncActions: actions, groupSyncActions: groupActions })} loading={save.isPending} disabled={!dirty}>
                Save sync actions
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
