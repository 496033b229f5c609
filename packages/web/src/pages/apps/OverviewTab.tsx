/**
 * Overview of an application: whether provisioning is on and healthy, the synchronization details,
 * what needs the admin (not connected, stopped by an error, quarantined) with the action to take,
 * a chart of provisioning actions over time, and the last cycles with their durations.
 */
import { Alert, Button, Group, Stack } from '@mantine/core';
import { Link } from 'react-router';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useSession } from '../../auth/session.tsx';
import { type AppView, useConfig } from './app-api.ts';
import { HealthSection } from './HealthSection.tsx';
import { PlansSection } from './PlansSection.tsx';
import { SyncDetails } from './SyncDetails.tsx';
import { ActivityChart } from './ActivityChart.tsx';
import { RecentCycles } from './RecentCycles.tsx';

export function OverviewTab({ app }: { app: AppView }) {
  const config = useConfig(app.id);
  const { admin } = useSession();
  const mayReadLogs = admin?.permissions.includes('view_logs') ?? false;
  const mayManage = admin?.permissions.includes('manage_provisioning') ?? false;
  if (config.isLoading) return <LoadingState />;
  if (config.error || !config.data) return <ErrorState error={config.error} onRetry={() => void config.refetch()} />;
  const c = config.data;
  const reason = c.stateReason as { message?: string; advice?: string } | null;
  return (
    <Stack>
      {!c.connection.connected && (
        <Alert color="blue" title="Not connected yet">
          Connect {app.typeName} under Provisioning (OAuth or API token), test the connection and switch provisioning on.
          <Group mt="xs">
            <Button component={Link} to={`/apps/${app.id}/provisioning`} size="xs">
              Configure provisioning
            </Button>
          </Group>
        </Alert>
      )}
      {c.connection.connected && !c.enabled && (
        <Alert color="gray" title="Provisioning is off">
          Nothing is sent to {app.typeName} until provisioning is switched on.
          <Group mt="xs">
            <Button component={Link} to={`/apps/${app.id}/provisioning`} size="xs" variant="light">
              Open Provisioning
            </Button>
          </Group>
        </Alert>
      )}
      {c.state === 'stopped' && (
        <Alert color="red" title="Provisioning stopped">
          {reason?.message ?? 'A configuration error stopped provisioning.'} {reason?.advice}
          <Group mt="xs">
            <Button component={Link} to={`/apps/${app.id}/provisioning`} size="xs" color="red" variant="light">
              Fix the connection
            </Button>
          </Group>
        </Alert>
      )}
      {c.state === 'quarantined' && (
        <Alert color="orange" title="Quarantined">
          Too many failures: cycles run less often until one succeeds. {reason?.message} {reason?.advice}
          {mayReadLogs && (
            <Group mt="xs">
              <Button component={Link} to={`/apps/${app.id}/logs`} size="xs" color="orange" variant="light">
                Read the failures
              </Button>
            </Group>
          )}
        </Alert>
      )}
      {mayReadLogs && <PlansSection appId={app.id} mayManage={mayManage} pendingOnly />}
      {mayReadLogs && <SyncDetails appId={app.id} />}
      {mayReadLogs && <ActivityChart appId={app.id} />}
      {mayReadLogs && <RecentCycles appId={app.id} />}
      {c.connection.connected && <HealthSection config={c} mayManage={mayManage} />}
    </Stack>
  );
}
