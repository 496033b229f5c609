/**
 * Provisioning status (guide B steps 11–13): On / Off (switching on needs a passing Test connection
 * and starts the initial cycle), pause and resume, and a full cycle on demand.
 */
import { Badge, Button, Card, Group, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { stateLook } from '../../lib/apps/provisioning-view.ts';
import { type ConfigView, appKeys } from './app-api.ts';

type Verb = 'enable' | 'disable' | 'pause' | 'resume';

export function StatusSection({ config, mayManage }: { config: ConfigView; mayManage: boolean }) {
  const queryClient = useQueryClient();
  const path = { id: config.applicationId };
  const look = stateLook(config.state, config.enabled);
  const change = useMutation({
    mutationFn: (verb: Verb) => unwrap(api.POST(`/api/apps/{id}/provisioning/${verb}`, { params: { path } })),
    onSuccess: (saved, verb) => {
      queryClient.setQueryData(appKeys.config(config.applicationId), saved);
      void queryClient.invalidateQueries({ queryKey: appKeys.status(config.applicationId) });
      notifications.show({ color: 'green', message: verb === 'enable' ? 'Provisioning is on: the initial cycle starts now.' : `Provisioning ${verb === 'disable' ? 'is off' : verb === 'pause' ? 'is paused' : 'resumed'}.` });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'Not changed', message: describeError(e) }),
  });
  const cycle = useMutation({
    mutationFn: () => unwrap(api.POST('/api/apps/{id}/provisioning/cycles', { params: { path } })),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: appKeys.status(config.applicationId) });
      notifications.show({ color: 'green', message: 'A full cycle is queued.' });
    },
    onError: (e) => notifications.show({ color: 'red', title: 'No cycle started', message: describeError(e) }),
  });

  return (
    <Card withBorder aria-label="Provisioning status">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Provisioning status</Text>
          <Badge color={look.color}>{look.label}</Badge>
        </Group>
        <Switch
          label={config.enabled ? 'Provisioning status: On' : 'Provisioning status: Off'}
          checked={config.enabled}
          onChange={(e) => change.mutate(e.currentTarget.checked ? 'enable' : 'disable')}
          disabled={!mayManage || change.isPending}
          size="md"
        />
        {mayManage && config.enabled && (
          <Group>
            {config.state === 'paused' ? (
              <Button variant="light" onClick={() => change.mutate('resume')} loading={change.isPending}>
                Resume
              </Button>
            ) : (
              <Button variant="default" onClick={() => change.mutate('pause')} loading={change.isPending}>
                Pause
              </Button>
            )}
            <Button variant="light" onClick={() => cycle.mutate()} loading={cycle.isPending}>
              Run a full cycle now
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
