/**
 * Scoping filters (guide B step 10) with an impact preview: who would enter and leave scope, and how
 * many provisioned accounts would be deprovisioned, before the change is saved.
 */
import { Alert, Autocomplete, Button, Card, Group, List, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { rawHeaders } from '../../api/client.ts';
import { describeError, fieldErrors, toApiError } from '../../api/errors.ts';
import { builtInSourceAttributes } from '../../lib/apps/mapping.ts';
import { type FilterDraft, newClause, scopingOperators, takesValue, toDrafts, toFilters } from '../../lib/apps/scoping.ts';
import type { ConfigView } from './app-api.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { useSaveSettings } from './use-save-settings.ts';
import { type SectionProps, saveThenNext } from './flow-step.ts';
import { useReportDirty } from '../../components/UnsavedChanges.tsx';

interface ScopePreview {
  current: number;
  proposed: number;
  entering: { count: number; users: { id: string; email: string; name: string }[] };
  leaving: { count: number; users: { id: string; email: string; name: string }[] };
  leavingProvisioned: number;
  leavingAction: 'delete' | 'suspend' | 'none';
  dropsEveryone: boolean;
  staged: boolean;
  note: string | null;
}

const attributeNames = [...builtInSourceAttributes.map((a) => a.name), 'groups'];

export function ScopingFiltersSection({ config, mayManage, flow, onDirtyChange }: { config: ConfigView; mayManage: boolean } & SectionProps) {
  const stored = config.settings.scopingFilters as Parameters<typeof toDrafts>[0];
  const [drafts, setDrafts] = useState<FilterDraft[]>(() => toDrafts(stored));
  const save = useSaveSettings(config, 'Scoping filters');
  const errors = fieldErrors(save.error, 'body.settings.');
  const dirty = JSON.stringify(toFilters(drafts)) !== JSON.stringify(toFilters(toDrafts(stored)));

  useReportDirty(dirty, onDirtyChange);

  // The preview route is plain fetch: it may be newer than the generated client types.
  const preview = useMutation({
    mutationFn: async (): Promise<ScopePreview> => {
      const r = await fetch(`/api/apps/${config.applicationId}/provisioning/scope-preview`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: rawHeaders({ 'content-type': 'application/json' }),
        body: JSON.stringify({ scope: config.settings.scope, scopingFilters: toFilters(drafts) }),
      });
      const body: unknown = await r.json().catch(() => null);
      if (!r.ok) throw toApiError(r.status, body);
      return body as ScopePreview;
    },
  });

  const update = (fi: number, patch: (f: FilterDraft) => FilterDraft) => {
    preview.reset();
    setDrafts(drafts.map((f, i) => (i === fi ? patch(f) : f)));
  };

  return (
    <Card withBorder aria-label="Scoping filters">
      <Stack>
        <Text fw={600}>Scoping filters</Text>
        <Text size="sm" c="dimmed">
          Only users passing a filter are provisioned: every clause of a filter must hold; any one filter is enough. No filter: everyone in scope.
        </Text>
        {drafts.map((f, fi) => (
          <Card key={fi} withBorder padding="sm" aria-label={`Scoping filter ${fi + 1}`}>
            <Stack gap="xs">
              <Group justify="space-between">
                <TextInput label="Filter name" value={f.name} onChange={(e) => update(fi, (d) => ({ ...d, name: e.currentTarget.value }))} size="xs" disabled={!mayManage} />
                {mayManage && (
                  <Button size="xs" variant="subtle" color="red" onClick={() => setDrafts(drafts.filter((_, i) => i !== fi))}>
                    Remove filter
                  </Button>
                )}
              </Group>
              {f.clauses.map((c, ci) => {
                const base = `scopingFilters.${fi}.clauses.${ci}`;
                const setClause = (patch: Partial<typeof c>) => update(fi, (d) => ({ ...d, clauses: d.clauses.map((x, j) => (j === ci ? { ...x, ...patch } : x)) }));
                return (
                  <Group key={ci} align="flex-start" gap="xs">
                    <Autocomplete label="Attribute" data={attributeNames} value={c.attribute} onChange={(v) => setClause({ attribute: v })} size="xs" error={errors[`${base}.attribute`]} disabled={!mayManage} />
                    <Select label="Operator" data={scopingOperators.map((o) => ({ ...o }))} value={c.operator} onChange={(v) => v && setClause({ operator: v as typeof c.operator })} allowDeselect={false} size="xs" error={errors[`${base}.operator`]} disabled={!mayManage} />
                    {takesValue(c.operator) && <TextInput label="Value" value={c.value} onChange={(e) => setClause({ value: e.currentTarget.value })} size="xs" error={errors[`${base}.value`]} disabled={!mayManage} />}
                    {mayManage && f.clauses.length > 1 && (
                      <Button mt={22} size="xs" variant="subtle" color="red" onClick={() => update(fi, (d) => ({ ...d, clauses: d.clauses.filter((_, j) => j !== ci) }))} aria-label={`Remove clause ${ci + 1}`}>
                        ✕
                      </Button>
                    )}
                  </Group>
                );
              })}
              {mayManage && (
                <Button size="xs" variant="light" onClick={() => update(fi, (d) => ({ ...d, clauses: [...d.clauses, newClause()] }))} w="fit-content">
                  Add clause (AND)
                </Button>
              )}
            </Stack>
          </Card>
        ))}
        {mayManage && (
          <Group>
            <Button size="xs" variant="default" onClick={() => setDrafts([...drafts, { name: '', clauses: [newClause()] }])}>
              Add scoping filter
            </Button>
            <Button size="xs" variant="light" onClick={() => preview.mutate()} loading={preview.isPending}>
              Preview impact
            </Button>
          </Group>
        )}
        {preview.error && (
          <Text c="red" size="sm" role="alert">
            {describeError(preview.error)}
          </Text>
        )}
        {preview.data && <ImpactReport preview={preview.data} neverProvisioned={!config.enabled && !config.lastCycleAt} />}
        {save.conflict && <ConflictAlert onReload={() => void save.reload()} />}
        {mayManage && (
          <Group>
            {flow ? (
              <Button onClick={() => void saveThenNext(dirty, () => save.mutateAsync({ scopingFilters: toFilters(drafts) }), flow)} loading={save.isPending}>
                Save and next
              </Button>
            ) : (
              <Button onClick={() => save.mutate({ scopingFilters: toFilters(drafts) })} loading={save.isPending} disabled={!dirty}>
                Save scoping filters
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

/**
 * Before anyone was ever provisioned nobody can leave anything: the preview says who will enter when
 * provisioning is switched on, and who stays out, instead of an alarming "leaving".
 */
function ImpactReport({ preview: p, neverProvisioned }: { preview: ScopePreview; neverProvisioned: boolean }) {
  const names = (l: ScopePreview['entering']) => l.users.map((u) => `${u.name} <${u.email}>`);
  if (neverProvisioned) {
    const out = [...p.leaving.users];
    return (
      <Alert color="blue" title="Impact of this change" data-testid="scope-impact">
        <Text size="sm">
          Nobody is provisioned yet. When provisioning is switched on, will enter: {p.proposed}
          {p.leaving.count > 0 && `; left out by this change: ${p.leaving.count}`}.
        </Text>
        {out.length > 0 && (
          <>
            <Text size="sm" fw={500} mt="xs">
              Left out by this change
            </Text>
            <List size="sm">
              {out.map((u) => (
                <List.Item key={u.id}>{`${u.name} <${u.email}>`}</List.Item>
              ))}
            </List>
          </>
        )}
      </Alert>
    );
  }
  return (
    <Alert color={p.dropsEveryone ? 'red' : p.leavingProvisioned > 0 ? 'orange' : 'blue'} title="Impact of this change" data-testid="scope-impact">
      <Text size="sm">
        In scope now: {p.current}; after the change: {p.proposed}. Entering: {p.entering.count}; leaving: {p.leaving.count}
        {p.leavingProvisioned > 0 && `, of whom ${p.leavingProvisioned} hold an account that would be ${p.leavingAction === 'suspend' ? 'suspended' : p.leavingAction === 'delete' ? 'deleted' : 'kept'}`}.
      </Text>
      {p.dropsEveryone && <Text size="sm">This would deprovision everyone: the deletions will be staged and wait for an admin.</Text>}
      {p.note && <Text size="sm">{p.note}</Text>}
      {p.leaving.users.length > 0 && (
        <>
          <Text size="sm" fw={500} mt="xs">
            Leaving
          </Text>
          <List size="sm">
            {names(p.leaving).map((n) => (
              <List.Item key={n}>{n}</List.Item>
            ))}
          </List>
        </>
      )}
      {p.entering.users.length > 0 && (
        <>
          <Text size="sm" fw={500} mt="xs">
            Entering
          </Text>
          <List size="sm">
            {names(p.entering).map((n) => (
              <List.Item key={n}>{n}</List.Item>
            ))}
          </List>
        </>
      )}
    </Alert>
  );
}
