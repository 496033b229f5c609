/**
 * The Provisioning tab: connection, field mapping, sync actions, scope and scoping filters,
 * notifications, status. Each section saves its own part (If-Match on the configuration's version)
 * and is keyed on its own settings, so a save elsewhere or a reload resets only what changed.
 * The OAuth callback lands here with `?connected=1` or `?error=<message>`.
 */
import { Alert, Stack } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { type AppView, useConfig } from './app-api.ts';
import { ConnectionSection } from './ConnectionSection.tsx';
import { MappingSection } from './MappingSection.tsx';
import { OnDemandSection } from './OnDemandSection.tsx';
import { PlansSection } from './PlansSection.tsx';
import { ScopingFiltersSection } from './ScopingFiltersSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';
import { StatusSection } from './StatusSection.tsx';
import { SyncActionsSection } from './SyncActionsSection.tsx';

export function ProvisioningTab({ app }: { app: AppView }) {
  const config = useConfig(app.id);
  const [params, setParams] = useSearchParams();
  const { admin } = useSession();
  const mayManage = admin?.permissions.includes('manage_provisioning') ?? false;
  if (config.isLoading) return <LoadingState />;
  if (config.error || !config.data) return <ErrorState error={config.error} onRetry={() => void config.refetch()} />;
  const c = config.data;
  const s = c.settings;
  const dismiss = () => setParams({}, { replace: true });
  const oauthError = params.get('error');

  return (
    <Stack>
      {params.get('connected') === '1' && (
        <Alert color="green" title="Connected to Zendesk" withCloseButton onClose={dismiss}>
          Authorization succeeded. Review the field mapping below, then the sync actions.
        </Alert>
      )}
      {oauthError && (
        <Alert color="red" title="Authorization failed" withCloseButton onClose={dismiss} role="alert">
          {oauthError}
        </Alert>
      )}
      {/* A new test outcome (lastTest) updates the badge without remounting the form and its test report. */}
      <ConnectionSection key={`connection-${JSON.stringify({ ...c.connection, lastTest: null })}`} app={app} config={c} mayManage={mayManage} />
      <MappingSection key={`mapping-${JSON.stringify([s.mappings, s.matching])}`} config={c} mayManage={mayManage} />
      <SyncActionsSection key={`actions-${JSON.stringify([s.syncActions, s.groupSyncActions])}`} config={c} mayManage={mayManage} />
      <SettingsSection
        key={`settings-${JSON.stringify([s.scope, s.provisionGroups, s.cycleIntervalMinutes, s.notificationEmail, s.sendFailureEmails, s.deletionThreshold])}`}
        config={c}
        mayManage={mayManage}
      />
      <ScopingFiltersSection key={`filters-${JSON.stringify([s.scope, s.scopingFilters])}`} config={c} mayManage={mayManage} />
      <StatusSection config={c} mayManage={mayManage} />
      {mayManage && c.connection.connected && <OnDemandSection appId={app.id} />}
      {admin?.permissions.includes('view_logs') && c.connection.connected && <PlansSection appId={app.id} mayManage={mayManage} />}
    </Stack>
  );
}
