/**
 * The guided setup of a new application, in the setup guides' order: connect → field mapping →
 * sync actions → assignments → scope and filters → notifications → turn on. Every step is the very
 * section the Provisioning tab shows one by one (same components, "Save and next" instead of their
 * own save button), the last step summarises everything before provisioning is switched on, and
 * moving between steps never drops unsaved edits without asking.
 */
import { Alert, Anchor, Badge, Button, Card, Group, Stack, Stepper, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { confirmDiscard } from '../../components/UnsavedChanges.tsx';
import { connectionLook } from '../../lib/apps/connection-state.ts';
import { type AppView, type ConfigView, appKeys, useGallery } from './app-api.ts';
import { AssignmentsTab } from './AssignmentsTab.tsx';
import { ConnectionSection } from './ConnectionSection.tsx';
import { sectionKeys } from './flow-step.ts';
import { MappingSection } from './MappingSection.tsx';
import { ScopingFiltersSection } from './ScopingFiltersSection.tsx';
import { SettingsSection } from './SettingsSection.tsx';
import { StatusSection } from './StatusSection.tsx';
import { PlansSection } from './PlansSection.tsx';
import { useSession } from '../../auth/session.tsx';
import { SyncActionsSection } from './SyncActionsSection.tsx';

export const setupSteps = [
  { key: 'connect', label: 'Connect' },
  { key: 'mapping', label: 'Field mapping' },
  { key: 'actions', label: 'Sync actions' },
  { key: 'assignments', label: 'Assignments' },
  { key: 'scope', label: 'Scope and filters' },
  { key: 'notifications', label: 'Notifications' },
  { key: 'turn-on', label: 'Turn on' },
] as const;

/** Names the sections report their edits under, as the admin reads them. */
export const sectionLabels: Record<string, string> = {
  connection: 'Connection',
  mapping: 'Field mapping',
  actions: 'Sync actions',
  scope: 'Scope',
  filters: 'Scoping filters',
  notifications: 'Notifications',
  settings: 'Scope and notifications',
};

export interface SetupFlowProps {
  app: AppView;
  config: ConfigView;
  mayManage: boolean;
  initialStep: number;
  dirtyNames: string[];
  report: (name: string) => (dirty: boolean) => void;
  onSections: () => void;
}

/** The saved connection method's label, from the connector's connection methods (`GET /api/gallery`). */
function useSavedMethodLabel(app: AppView, c: ConfigView): string | undefined {
  const gallery = useGallery();
  return gallery.data?.items.find((g) => g.key === app.type)?.connectionMethods.find((m) => m.method === c.connection.method)?.label;
}

export function SetupFlow({ app, config: c, mayManage, initialStep, dirtyNames, report, onSections }: SetupFlowProps) {
  const [step, setStep] = useState(initialStep);
  const { admin } = useSession();
  const keys = sectionKeys(c);
  const look = connectionLook(c.connection, useSavedMethodLabel(app, c));

  /** Moves to `next`, asking first when a section of this step (other than `saved`, just saved) holds edits. */
  const go = async (next: number, saved?: string) => {
    const pending = dirtyNames.filter((n) => n !== saved);
    if (pending.length > 0 && !(await confirmDiscard(pending.map((n) => sectionLabels[n] ?? n).join(', ')))) return;
    setStep(next);
    window.scrollTo({ top: 0 });
  };
  const nextAfter = (saved: string) => ({ onNext: () => void go(step + 1, saved) });

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Guided setup · step {step + 1} of {setupSteps.length}
          {step > 0 && (
            <>
              {' · '}
              {app.typeName}:{' '}
              <Badge size="sm" color={look.color} data-testid="connection-state">
                {look.label}
              </Badge>
            </>
          )}
        </Text>
        <Anchor component="button" type="button" size="sm" onClick={onSections}>
          Edit the sections one by one
        </Anchor>
      </Group>
      <Stepper active={step} onStepClick={(i) => void go(i)} size="sm" aria-label="Setup steps" allowNextStepsSelect>
        {setupSteps.map((s) => (
          <Stepper.Step key={s.key} label={s.label} aria-label={s.label} />
        ))}
      </Stepper>

      {step === 0 && (
        <>
          <ConnectionSection key={keys.connection} app={app} config={c} mayManage={mayManage} onDirtyChange={report('connection')} />
          <Group>
            <Button onClick={() => void go(1)} disabled={!c.connection.connected}>
              Next
            </Button>
            {!c.connection.connected && (
              <Text size="sm" c="dimmed">
                Authorize with OAuth, or save an API token, to go on.
              </Text>
            )}
          </Group>
        </>
      )}
      {step === 1 && <MappingSection key={keys.mapping} config={c} mayManage={mayManage} flow={nextAfter('mapping')} onDirtyChange={report('mapping')} />}
      {step === 2 && <SyncActionsSection key={keys.actions} config={c} mayManage={mayManage} flow={nextAfter('actions')} onDirtyChange={report('actions')} />}
      {step === 3 && (
        <Card withBorder aria-label="Assignments">
          <Stack>
            <Text fw={600}>Assignments</Text>
            <AssignmentsTab app={app} />
            <Group>
              <Button onClick={() => void go(4)}>Next</Button>
              <Text size="sm" c="dimmed">
                Assignments are saved as you make them. Start with one user to try, add more later.
              </Text>
            </Group>
          </Stack>
        </Card>
      )}
      {step === 4 && (
        <>
          <SettingsSection key={keys.settings} config={c} mayManage={mayManage} part="scope" onDirtyChange={report('scope')} />
          <ScopingFiltersSection key={keys.filters} config={c} mayManage={mayManage} flow={nextAfter('filters')} onDirtyChange={report('filters')} />
        </>
      )}
      {step === 5 && <SettingsSection key={keys.settings} config={c} mayManage={mayManage} part="notifications" flow={nextAfter('notifications')} onDirtyChange={report('notifications')} />}
      {step === 6 && (
        <>
          <SetupSummary app={app} config={c} onEdit={(i) => void go(i)} />
          <StatusSection config={c} mayManage={mayManage} />
          {admin?.permissions.includes('view_logs') && c.connection.connected && <PlansSection appId={app.id} mayManage={mayManage} />}
        </>
      )}
      {step > 0 && (
        <Group>
          <Button variant="default" onClick={() => void go(step - 1)}>
            Back
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** Everything the setup chose, one line per step, before provisioning is switched on. */
export function SetupSummary({ app, config: c, onEdit }: { app: AppView; config: ConfigView; onEdit: (step: number) => void }) {
  const assignments = useQuery({
    queryKey: appKeys.assignments(app.id),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/assignments', { params: { path: { id: app.id }, query: { limit: 500 } } })),
  });
  const s = c.settings;
  const a = s.syncActions;
  const look = connectionLook(c.connection, useSavedMethodLabel(app, c));
  const constants = s.mappings.filter((m) => m.source.kind === 'constant').length;
  const items = assignments.data?.items ?? [];
  const users = items.filter((x) => x.principalType === 'user').length;
  const groups = items.length - users;
  const filters = s.scopingFilters as { name?: string }[];
  const t = s.deletionThreshold;
  const rows: [number, string, string][] = [
    [0, 'Connection', `${look.label} · subdomain ${c.subdomain ?? '—'}`],
    [1, 'Field mapping', `${s.mappings.length} fields mapped${constants ? ` (${constants} hardcoded)` : ''}; matching on ${s.matching.join(', ') || '—'}`],
    [
      2,
      'Sync actions',
      [a.create && 'create users', a.update && 'update profiles', a.delete && `${a.deprovision === 'suspend' ? 'suspend' : 'delete'} on unassign`, a.activateDeactivate && 'activate and deactivate'].filter(Boolean).join(', ') || 'nothing is sent',
    ],
    [3, 'Assignments', assignments.isLoading ? '…' : `${users} user${users === 1 ? '' : 's'} and ${groups} group${groups === 1 ? '' : 's'} assigned`],
    [4, 'Scope and filters', `${s.scope === 'all' ? 'All users and groups' : 'Only assigned users and groups'}; groups ${s.provisionGroups ? 'provisioned' : 'not provisioned'}; ${filters.length ? `${filters.length} scoping filter${filters.length === 1 ? '' : 's'} (${filters.map((f) => f.name || 'unnamed').join(', ')})` : 'no scoping filter'}`],
    [
      5,
      'Notifications',
      `${s.notificationEmail ? `${s.notificationEmail}${s.sendFailureEmails ? ', emailed on failure' : ', no failure emails'}` : 'no notification email'}; cycle every ${s.cycleIntervalMinutes} min; ${t.enabled ? `deletion threshold ${[t.count && `${t.count} accounts`, t.percent && `${t.percent} %`].filter(Boolean).join(' or ')}` : 'no deletion threshold'}; ${s.requireApproval ? 'every cycle waits for approval' : 'cycles apply without approval'}`,
    ],
  ];
  return (
    <Card withBorder aria-label="Summary">
      <Stack>
        <Text fw={600}>Summary</Text>
        {users + groups === 0 && !assignments.isLoading && s.scope === 'assigned' && (
          <Alert color="yellow" variant="light">
            Nobody is assigned yet: switching on provisions no one until you assign users or groups.
          </Alert>
        )}
        <Table aria-label="Setup summary">
          <Table.Tbody>
            {rows.map(([i, label, value]) => (
              <Table.Tr key={label} data-testid={`summary-${setupSteps[i]!.key}`}>
                <Table.Th w={180}>{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
                <Table.Td w={80}>
                  <Button size="compact-xs" variant="subtle" onClick={() => onEdit(i)} aria-label={`Edit ${label}`}>
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm" c="dimmed">
          Switching on starts the initial cycle for everyone in scope; later cycles run every {s.cycleIntervalMinutes} minutes, and directory changes are pushed within seconds.
        </Text>
      </Stack>
    </Card>
  );
}
