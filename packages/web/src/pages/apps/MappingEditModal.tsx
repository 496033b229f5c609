/**
 * Edit one mapping: direct attribute, hardcoded value or expression, "apply on create only", and a
 * live preview of what it would write for a sample directory user (POST …/mapping-preview).
 */
import { Alert, Autocomplete, Button, Checkbox, Code, Group, Modal, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { type FieldMapping, type MappingDraft, builtInSourceAttributes, draftOf, draftReady, mappingOf } from '../../lib/apps/mapping.ts';
import { showValue } from '../../lib/apps/provisioning-view.ts';
import { type ConfigView, type TargetField, useTypeName } from './app-api.ts';

interface Preview {
  value: unknown;
  error: { path: string; reason: string } | null;
  inputs: Record<string, unknown>;
}

export function MappingEditModal(props: { config: ConfigView; target: string; targetLabel: string; field?: TargetField | undefined; mapping: FieldMapping | undefined; onClose: () => void; onApply: (m: FieldMapping) => void }) {
  const { config, target, onClose, onApply } = props;
  const typeName = useTypeName(config.type);
  const [draft, setDraft] = useState<MappingDraft>(() => draftOf(props.mapping, target));
  const [sampleUser, setSampleUser] = useState<string | null>(null);
  const [debouncedDraft] = useDebouncedValue(draft, 300);
  const set = (patch: Partial<MappingDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const attributes = useQuery({ queryKey: ['attributes'], queryFn: () => unwrap(api.GET('/api/attributes')), staleTime: 60_000 });
  const users = useQuery({ queryKey: ['mapping-sample-users'], queryFn: () => unwrap(api.GET('/api/users', { params: { query: { limit: 50 } } })) });
  const sample = sampleUser ?? users.data?.items[0]?.id ?? null;
  const ready = draftReady(debouncedDraft);
  const choices = props.field?.enumValues;
  const preview = useQuery({
    queryKey: ['mapping-preview', config.applicationId, sample, debouncedDraft],
    queryFn: async () => {
      const r = await unwrap(api.POST('/api/apps/{id}/provisioning/mapping-preview', { params: { path: { id: config.applicationId } }, body: { mapping: mappingOf(debouncedDraft), userId: sample! } }));
      return r as unknown as Preview;
    },
    enabled: !!sample && ready,
  });
  const attributeNames = [...builtInSourceAttributes.map((a) => a.name), ...(attributes.data?.items.map((a) => `custom.${a.key}`) ?? [])];

  return (
    <Modal opened onClose={onClose} title={`Edit mapping: ${props.targetLabel}`} size="lg">
      <Stack>
        <SegmentedControl
          value={draft.kind}
          onChange={(v) => set({ kind: v as MappingDraft['kind'] })}
          data={[
            { value: 'attribute', label: 'Direct' },
            { value: 'constant', label: 'Hardcoded value' },
            { value: 'expression', label: 'Expression' },
          ]}
          aria-label="Mapping type"
        />
        {draft.kind === 'attribute' && <Autocomplete label="Directory attribute" data={attributeNames} value={draft.attribute} onChange={(v) => set({ attribute: v })} />}
        {draft.kind === 'constant' &&
          (choices && choices.length > 0 ? (
            <Select
              label="Hardcoded value"
              description={`Every provisioned user gets this value; ${props.targetLabel} takes one of its ${choices.length} allowed values.`}
              data={choices}
              value={choices.includes(draft.constant) ? draft.constant : null}
              onChange={(v) => set({ constant: v ?? '' })}
              searchable
              allowDeselect={false}
            />
          ) : (
            <TextInput label="Hardcoded value" description="Every provisioned user gets this value." value={draft.constant} onChange={(e) => set({ constant: e.currentTarget.value })} />
          ))}
        {draft.kind === 'expression' && (
          <Textarea
            label="Expression"
            description='Attributes in brackets, e.g. Join(" ", [givenName], [familyName]). Functions: Join, Coalesce, IIF, Switch, ToLower, Left…'
            value={draft.expression}
            onChange={(e) => set({ expression: e.currentTarget.value })}
            autosize
            minRows={2}
            styles={{ input: { fontFamily: 'monospace' } }}
          />
        )}
        <Checkbox label="Apply on create only" description={`Set when Roster creates the account; later changes in ${typeName} are kept.`} checked={draft.onCreateOnly} onChange={(e) => set({ onCreateOnly: e.currentTarget.checked })} />
        <Select
          label="Preview with"
          placeholder={users.data?.items.length === 0 ? 'No directory users yet' : 'Pick a user'}
          data={users.data?.items.map((u) => ({ value: u.id, label: `${u.displayName} <${u.email}>` })) ?? []}
          value={sample}
          onChange={setSampleUser}
          searchable
        />
        {sample && !ready && (
          <Text size="sm" c="dimmed" data-testid="mapping-preview">
            {draft.kind === 'attribute' ? 'Pick a directory attribute to preview what it writes.' : 'Type an expression to preview what it writes.'}
          </Text>
        )}
        {sample && ready && (
          <Alert color={preview.data?.error || preview.error ? 'red' : 'gray'} title="Preview" data-testid="mapping-preview">
            {preview.isFetching && !preview.data && <Text size="sm">Computing…</Text>}
            {preview.error && <Text size="sm">{describeError(preview.error)}</Text>}
            {preview.data?.error && (
              <Text size="sm" role="alert">
                {preview.data.error.reason}
              </Text>
            )}
            {preview.data && !preview.data.error && (
              <Text size="sm">
                {target} = <Code>{showValue(preview.data.value)}</Code>
              </Text>
            )}
            {preview.data && Object.keys(preview.data.inputs).length > 0 && (
              <Text size="xs" c="dimmed">
                Read: {Object.entries(preview.data.inputs).map(([k, v]) => `${k} = ${showValue(v)}`).join('; ')}
              </Text>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => onApply(mappingOf(draft))}>OK</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
