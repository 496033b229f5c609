/**
 * The Provisioning tab. A new application (provisioning never switched on) opens on the guided
 * setup (SetupFlow.tsx); afterwards — or with `?view=sections` — the same sections are shown one by
 * one: connection, field mapping, sync actions, scope and notifications, scoping filters, status.
 * Each section saves its own part (If-Match on the configuration's version) and is keyed on its own
 * settings, so a save elsewhere or a reload resets only what changed. Unsaved edits in any section
 * are guarded (UnsavedChangesGuard). The OAuth callback lands here with `?connected=1` (the guided
 * setup then opens at the field mapping) or `?error=<message>`.
 */
import { Alert, Button, Group, Stack } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useSession } from '../../auth/session.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { UnsavedChangesGuard, useDirtySections } from '../../components/UnsavedChanges.tsx';
import { type AppView, useConfig } from './app-api.ts';
import { ConnectionSection } from './ConnectionSection.tsx';
import { sectionKeys } from './flow-step.ts';
import { MappingSection } from './MappingSection.tsx';
import { OnDemandSection } from './OnDemandSection.tsx';
import { PlansSection } from './PlansSection.tsx';
import { ScopingFiltersSection } from './ScopingFiltersSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';
import { SetupFlow, sectionLabels } from './SetupFlow.tsx';
import { StatusSection } from './StatusSection.tsx';
import { SyncActionsSection } from './SyncActionsSection.tsx';

export function ProvisioningTab({ app }: { app: AppView }) {
  const config = useConfig(app.id);
  const [params, setParams] = useSearchParams();
  const { admin } = useSession();
  const { report, dirtyNames, anyDirty } = useDirtySections();
  const mayManage = admin?.permissions.includes('manage_provisioning') ?? false;
  // Fresh facts before choosing where the guided setup opens (a cached copy may predate the connection).
  if (config.isLoading || (config.isFetching && !config.isFetchedAfterMount)) return <LoadingState />;
  if (config.error || !config.data) return <ErrorState error={config.error} onRetry={() => void config.refetch()} />;
  const c = config.data;
  const keys = sectionKeys(c);
  const setParam = (changes: Record<string, string | null>) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const [name, value] of Object.entries(changes)) {
          if (value === null) next.delete(name);
          else next.set(name, value);
        }
        return next;
      },
      { replace: true },
    );
  const dismiss = () => setParam({ connected: null, error: null });
  const oauthError = params.get('error');
  const isNew = !c.enabled && !c.lastCycleAt;
  const guided = mayManage && isNew && params.get('view') !== 'sections';
  const guard = <UnsavedChangesGuard dirty={anyDirty} what={dirtyNames.map((n) => sectionLabels[n] ?? n).join(', ')} />;

  const banners = (
    <>
      {params.get('connected') === '1' && (
        <Alert color="green" title={`Connected to ${app.typeName}`} withCloseButton onClose={dismiss}>
          Authorization succeeded. Review the field mapping {guided ? 'now' : 'below'}, then the sync actions.
        </Alert>
      )}
      {oauthError && (
        <Alert color="red" title="Authorization failed" withCloseButton onClose={dismiss} role="alert">
          {oauthError}
        </Alert>
      )}
    </>
  );

  if (guided)
    return (
      <Stack>
        {guard}
        {banners}
        <SetupFlow
          app={app}
          config={c}
          mayManage={mayManage}
          initialStep={c.connection.connected ? 1 : 0}
          dirtyNames={dirtyNames}
          report={report}
          onSections={() => setParam({ view: 'sections' })}
        />
      </Stack>
    );

  return (
    <Stack>
      {guard}
      {banners}
      {mayManage && isNew && (
        <Group>
          <Button variant="light" size="xs" onClick={() => setParam({ view: null })}>
            Guided setup
          </Button>
        </Group>
      )}
      <ConnectionSection key={keys.connection} app={app} config={c} mayManage={mayManage} onDirtyChange={report('connection')} />
      <MappingSection key={keys.mapping} config={c} mayManage={mayManage} onDirtyChange={report('mapping')} />
      <SyncActionsSection key={keys.actions} config={c} mayManage={mayManage} onDirtyChange={report('actions')} />
      <SettingsSection key={keys.settings} config={c} mayManage={mayManage} onDirtyChange={report('settings')} />
      <ScopingFiltersSection key={keys.filters} config={c} mayManage={mayManage} onDirtyChange={report('filters')} />
      <StatusSection config={c} mayManage={mayManage} />
      {mayManage && c.connection.connected && <OnDemandSection appId={app.id} />}
      {admin?.permissions.includes('view_logs') && c.connection.connected && <PlansSection appId={app.id} mayManage={mayManage} />}
    </Stack>
  );
}
