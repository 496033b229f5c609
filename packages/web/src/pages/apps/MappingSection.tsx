/**
 * Field mapping (guide A steps 9–10, guide B step 8): every target field with its source (direct
 * attribute, hardcoded value or expression), whether it applies on create only, and the matching
 * attributes in order. Edits stay in the table until "Save mappings".
 */
import { Badge, Button, Card, Group, MultiSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { fieldErrors } from '../../api/errors.ts';
import { type FieldMapping, describeSource, kindLabels, sameMappings, withMapping, withoutMapping } from '../../lib/apps/mapping.ts';
import { type ConfigView, appKeys, useTypeName } from './app-api.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { MappingEditModal } from './MappingEditModal.tsx';
import { useSaveSettings } from './use-save-settings.ts';
import { type SectionProps, saveThenNext } from './flow-step.ts';
import { useReportDirty } from '../../components/UnsavedChanges.tsx';

export function MappingSection({ config, mayManage, flow, onDirtyChange }: { config: ConfigView; mayManage: boolean } & SectionProps) {
  const target = useTypeName(config.type);
  const [mappings, setMappings] = useState<FieldMapping[]>(config.settings.mappings);
  const [matching, setMatching] = useState<string[]>(config.settings.matching);
  const [editing, setEditing] = useState<string | null>(null);
  const save = useSaveSettings(config, 'Field mapping');
  const fields = useQuery({
    queryKey: appKeys.fields(config.applicationId),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/fields', { params: { path: { id: config.applicationId } } })),
    enabled: config.connection.connected,
    staleTime: 60_000,
  });
  const labelOf = (key: string) => fields.data?.items.find((f) => f.key === key)?.label;
  const unmapped = (fields.data?.items ?? []).filter((f) => !mappings.some((m) => m.target === f.key));
  const dirty = !sameMappings(mappings, config.settings.mappings) || matching.join() !== config.settings.matching.join();
  useReportDirty(dirty, onDirtyChange);
  const errors = fieldErrors(save.error, 'body.settings.');
  const matchable = [...new Set([...mappings.map((m) => m.target), ...matching])];

  return (
    <Card withBorder aria-label="Field mapping">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Field mapping — synchronize users to {target}</Text>
          {dirty && <Badge color="yellow">Unsaved changes</Badge>}
        </Group>
        <Table aria-label="Mappings" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{target} field</Table.Th>
              <Table.Th>Mapping type</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Applies</Table.Th>
              <Table.Th>Matching</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mappings.map((m, i) => (
              <Table.Tr key={m.target} data-testid={`mapping-${m.target}`}>
                <Table.Td>
                  <Text size="sm">{labelOf(m.target) ?? m.target}</Text>
                  <Text size="xs" c="dimmed">
                    {m.target}
                  </Text>
                  {errors[`mappings.${i}.target`] && (
                    <Text size="xs" c="red">
                      {errors[`mappings.${i}.target`]}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{kindLabels[m.source.kind]}</Table.Td>
                <Table.Td>
                  <Text size="sm" ff={m.source.kind === 'expression' ? 'monospace' : 'text'}>
                    {describeSource(m.source)}
                  </Text>
                  {Object.entries(errors)
                    .filter(([k]) => k.startsWith(`mappings.${i}.source`))
                    .map(([k, v]) => (
                      <Text key={k} size="xs" c="red" role="alert">
                        {v}
                      </Text>
                    ))}
                </Table.Td>
                <Table.Td>{m.apply === 'on_create' ? 'On create only' : 'Always'}</Table.Td>
                <Table.Td>{matching.includes(m.target) ? <Badge variant="light">#{matching.indexOf(m.target) + 1}</Badge> : null}</Table.Td>
                <Table.Td>
                  {mayManage && (
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="subtle" onClick={() => setEditing(m.target)} aria-label={`Edit ${m.target}`}>
                        Edit
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setMappings(withoutMapping(mappings, m.target))} aria-label={`Remove ${m.target}`}>
                        Remove
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
            {unmapped.map((f) => (
              <Table.Tr key={f.key}>
                <Table.Td>
                  <Text size="sm">{f.label}</Text>
                  <Text size="xs" c="dimmed">
                    {f.key}
                  </Text>
                </Table.Td>
                <Table.Td colSpan={4}>
                  <Text size="sm" c="dimmed">
                    Not mapped: left as it is in {target}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {mayManage && (
                    <Button size="xs" variant="subtle" onClick={() => setEditing(f.key)} aria-label={`Edit ${f.key}`}>
                      Map
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <MultiSelect
          label="Matching attributes, in order"
          description={`How an existing ${target} account is found: the first attribute that matches wins. The order you pick them in is kept.`}
          data={matchable}
          value={matching}
          onChange={setMatching}
          disabled={!mayManage}
          error={errors['matching']}
          maw={500}
        />
        {save.conflict && <ConflictAlert onReload={() => void save.reload()} />}
        {mayManage && (
          <Group>
            {flow ? (
              <Button onClick={() => void saveThenNext(dirty, () => save.mutateAsync({ mappings, matching }), flow)} loading={save.isPending}>
                Save and next
              </Button>
            ) : (
              <Button onClick={() => save.mutate({ mappings, matching })} loading={save.isPending} disabled={!dirty}>
                Save mappings
              </Button>
            )}
            {dirty && (
              <Button
                variant="default"
                onClick={() => {
                  setMappings(config.settings.mappings);
                  setMatching(config.settings.matching);
                }}
              >
                Discard changes
              </Button>
            )}
          </Group>
        )}
      </Stack>
      {editing && (
        <MappingEditModal
          config={config}
          target={editing}
          targetLabel={labelOf(editing) ?? editing}
          field={fields.data?.items.find((f) => f.key === editing)}
          mapping={mappings.find((m) => m.target === editing)}
          onClose={() => setEditing(null)}
          onApply={(m) => {
            setMappings(withMapping(mappings, m));
            setEditing(null);
          }}
        />
      )}
    </Card>
  );
}
