/**
 * Deactivating a user asks first, and says what will happen in each application: where Roster will
 * suspend their account (provisioning on, an account linked, the sync action *Activate and
 * deactivate users* on), and where their account is left as it is.
 */
import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { useSession } from '../../auth/session.tsx';
import { appKeys } from '../apps/app-api.ts';
import { userAppsKey } from './ApplicationsPanel.tsx';

export function DeactivateDialog({ user, onConfirm, onClose, busy }: { user: { id: string; displayName: string }; onConfirm: () => void; onClose: () => void; busy: boolean }) {
  const { can } = useSession();
  const apps = useQuery({
    queryKey: userAppsKey(user.id),
    queryFn: () => unwrap(api.GET('/api/users/{id}/applications', { params: { path: { id: user.id } } })),
    enabled: can('view_apps'),
  });
  const provisioned = (apps.data?.items ?? []).filter((a) => a.targetId && a.provisioningEnabled);
  const configs = useQueries({
    queries: provisioned.map((a) => ({ queryKey: appKeys.config(a.applicationId), queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning', { params: { path: { id: a.applicationId } } })) })),
  });
  const suspended = provisioned.filter((_, i) => configs[i]?.data?.settings.syncActions.activateDeactivate !== false);
  const kept = provisioned.filter((_, i) => configs[i]?.data?.settings.syncActions.activateDeactivate === false);
  const loading = apps.isLoading || configs.some((c) => c.isLoading);

  return (
    <Modal opened onClose={onClose} title={`Deactivate ${user.displayName}?`}>
      <Stack gap="sm">
        <Text size="sm">They can no longer be provisioned; their assignments and group memberships stay, so activating them again restores everything.</Text>
        {loading && <Text size="sm">Reading their applications…</Text>}
        {!loading && can('view_apps') && (
          <div data-testid="deactivate-effects">
            {suspended.length > 0 ? (
              <>
                <Text size="sm" fw={500}>
                  Their account will be suspended in:
                </Text>
                <List size="sm">
                  {suspended.map((a) => (
                    <List.Item key={a.applicationId}>{a.displayName}</List.Item>
                  ))}
                </List>
              </>
            ) : (
              <Text size="sm">No application will suspend an account of theirs: none provisions them now.</Text>
            )}
            {kept.length > 0 && (
              <Text size="sm" mt="xs">
                Left as it is (the sync action *Activate and deactivate users* is off): {kept.map((a) => a.displayName).join(', ')}.
              </Text>
            )}
          </div>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="orange" onClick={onConfirm} loading={busy} disabled={loading}>
            Deactivate
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
