/**
 * One application: its header and the tabs Overview, Users and groups, Provisioning, SSO, Import and
 * Provisioning logs. The tab is part of the address (`/apps/:id/:tab`), so the OAuth callback's
 * redirect to `/apps/:id/provisioning?connected=1` opens the Provisioning tab.
 */
import { Anchor, Breadcrumbs, Tabs, Text } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState, NotFoundState } from '../../components/states.tsx';
import { useSession } from '../../auth/session.tsx';
import { useApp } from './app-api.ts';
import { AssignmentsTab } from './AssignmentsTab.tsx';
import { ImportTab } from './ImportTab.tsx';
import { LogsTab } from './LogsTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { ProvisioningTab } from './ProvisioningTab.tsx';
import { SsoTab } from './SsoTab.tsx';

const tabs = [
  { value: 'overview', label: 'Overview' },
  { value: 'users', label: 'Users and groups' },
  { value: 'provisioning', label: 'Provisioning' },
  { value: 'sso', label: 'SSO' },
  { value: 'import', label: 'Import', permission: 'import_users' },
  { value: 'logs', label: 'Provisioning logs', permission: 'view_logs' },
] as const;

export function AppPage() {
  const { id = '', tab = 'overview' } = useParams();
  const navigate = useNavigate();
  const { admin } = useSession();
  const app = useApp(id);
  const held: readonly string[] = admin?.permissions ?? [];
  const visible = tabs.filter((t) => !('permission' in t) || held.includes(t.permission));

  if (!visible.some((t) => t.value === tab)) return <NotFoundState />;
  if (app.isLoading) return <LoadingState />;
  if (app.error || !app.data) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;

  return (
    <>
      <Breadcrumbs mb="xs">
        <Anchor component={Link} to="/apps" size="sm">
          Applications
        </Anchor>
        <Text size="sm">{app.data.displayName}</Text>
      </Breadcrumbs>
      <PageHeader title={app.data.displayName} description={`${app.data.typeName} · ${app.data.targetUrl}`} />
      <Tabs value={tab} onChange={(v) => v && navigate(`/apps/${id}/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          {visible.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <OverviewTab app={app.data} />
        </Tabs.Panel>
        <Tabs.Panel value="users">
          <AssignmentsTab app={app.data} />
        </Tabs.Panel>
        <Tabs.Panel value="provisioning">
          <ProvisioningTab app={app.data} />
        </Tabs.Panel>
        <Tabs.Panel value="sso">
          <SsoTab app={app.data} />
        </Tabs.Panel>
        <Tabs.Panel value="import">
          <ImportTab app={app.data} />
        </Tabs.Panel>
        <Tabs.Panel value="logs">
          <LogsTab app={app.data} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
