/**
 * Import users from CSV: pick a file, map its columns (or let Roster recognise the headers),
 * preview with a dry run, then import with a progress bar; per-row errors are listed by row.
 */
import { Alert, Badge, Button, Card, FileInput, Group, Progress, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../api/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { type ColumnChoice, type CsvPreview, mappingParam, previewCsv } from '../../lib/csv-preview.ts';
import { userFieldLabels, userFormFields } from '../../lib/user-changes.ts';
import { useAttributes } from '../users/use-attributes.ts';
import { type ImportOptions, type ImportSummary, dryRunImport, runImport } from './run-import.ts';

const AUTO = '__auto';
const IGNORE = '__ignore';

export function ImportUsersPage() {
  const attributes = useAttributes();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [choices, setChoices] = useState<Record<string, ColumnChoice>>({});
  const [opts, setOpts] = useState<Omit<ImportOptions, 'mapping'>>({ matchBy: 'email', mode: 'upsert', emptyCells: 'keep' });
  const [busy, setBusy] = useState<'dry' | 'import' | null>(null);
  const [progress, setProgress] = useState(0);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const targets = [
    { group: 'Roster', items: [{ value: AUTO, label: 'Recognise from the header' }, { value: IGNORE, label: 'Ignore this column' }] },
    { group: 'User fields', items: [...userFormFields.map((f) => ({ value: f, label: userFieldLabels[f] })), { value: 'manager', label: 'Manager (email or employee ID)' }, { value: 'status', label: 'Status' }] },
    ...(attributes.items.length ? [{ group: 'Custom attributes', items: attributes.items.map((a) => ({ value: `custom.${a.key}`, label: a.label })) }] : []),
  ];

  async function choose(f: File | null) {
    setFile(f);
    setResult(null);
    setError(null);
    setChoices({});
    setPreview(f ? previewCsv(await f.text()) : null);
  }

  const options = (): ImportOptions => ({ ...opts, mapping: preview ? mappingParam(preview.headers, choices) : undefined });

  async function go(kind: 'dry' | 'import') {
    if (!file) return;
    setBusy(kind);
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const summary = kind === 'dry' ? await dryRunImport(file, options()) : await runImport(file, options(), setProgress);
      setResult(summary);
      if (kind === 'import') await qc.invalidateQueries({ queryKey: ['users'] });
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(null);
    }
  }

  const total = preview?.rows ?? 0;
  return (
    <>
      <PageHeader title="Import users from CSV" description="One row per user, with a header row. Existing users are matched by email or employee ID." />
      <Stack>
        <Card withBorder>
          <Stack>
            <FileInput label="CSV file" placeholder="Choose a .csv file" accept=".csv,text/csv" clearable value={file} onChange={(f) => void choose(f)} />
            {preview && (
              <Text size="sm" c="dimmed">
                {preview.rows} data rows, {preview.headers.length} columns.
              </Text>
            )}
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <Select
                label="Match existing users by"
                allowDeselect={false}
                data={[
                  { value: 'email', label: 'Email' },
                  { value: 'employeeId', label: 'Employee ID' },
                ]}
                value={opts.matchBy}
                onChange={(v) => v && setOpts({ ...opts, matchBy: v as ImportOptions['matchBy'] })}
              />
              <Select
                label="Rows that"
                allowDeselect={false}
                data={[
                  { value: 'upsert', label: 'Create new and update existing users' },
                  { value: 'create', label: 'Only create new users' },
                  { value: 'update', label: 'Only update existing users' },
                ]}
                value={opts.mode}
                onChange={(v) => v && setOpts({ ...opts, mode: v as ImportOptions['mode'] })}
              />
              <Select
                label="Empty cells"
                allowDeselect={false}
                data={[
                  { value: 'keep', label: 'Keep the current value' },
                  { value: 'clear', label: 'Clear the field' },
                ]}
                value={opts.emptyCells}
                onChange={(v) => v && setOpts({ ...opts, emptyCells: v as ImportOptions['emptyCells'] })}
              />
            </SimpleGrid>
          </Stack>
        </Card>

        {preview && preview.headers.length > 0 && (
          <Card withBorder>
            <Title order={2} size="h4" mb="xs">
              Column mapping
            </Title>
            <Table aria-label="Column mapping" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>CSV column</Table.Th>
                  <Table.Th>First value</Table.Th>
                  <Table.Th>Goes to</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.headers.map((h, i) => {
                  const c = choices[h] ?? { kind: 'auto' };
                  const value = c.kind === 'auto' ? AUTO : c.kind === 'ignore' ? IGNORE : c.field;
                  return (
                    <Table.Tr key={`${h}-${i}`}>
                      <Table.Td>{h}</Table.Td>
                      <Table.Td c="dimmed">{preview.sample[0]?.[i] ?? ''}</Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Field for column ${h}`}
                          size="xs"
                          allowDeselect={false}
                          data={targets}
                          value={value}
                          onChange={(v) => setChoices({ ...choices, [h]: v === AUTO || !v ? { kind: 'auto' } : v === IGNORE ? { kind: 'ignore' } : { kind: 'field', field: v } })}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Card>
        )}

        <Group>
          <Button variant="default" onClick={() => void go('dry')} disabled={!file || busy !== null} loading={busy === 'dry'}>
            Preview (dry run)
          </Button>
          <Button onClick={() => void go('import')} disabled={!file || busy !== null} loading={busy === 'import'}>
            Import
          </Button>
        </Group>

        {busy === 'import' && (
          <Stack gap={4}>
            <Text size="sm">
              Importing… {progress} of {total} rows read
            </Text>
            <Progress aria-label="Import progress" value={total ? Math.min(100, (progress / total) * 100) : 0} animated />
          </Stack>
        )}
        {error && (
          <Alert color="red" role="alert" title="The import stopped">
            {error}
          </Alert>
        )}
        {result && <ImportResult result={result} />}
      </Stack>
    </>
  );
}

function ImportResult({ result }: { result: ImportSummary }) {
  const failed = result.counts['failed'] ?? 0;
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          {result.dryRun ? 'Preview: nothing was written' : 'Import finished'}
        </Title>
        <Group gap="xs" aria-label="Counts">
          {Object.entries(result.counts).map(([k, v]) => (
            <Badge key={k} color={k === 'failed' && v > 0 ? 'red' : 'gray'} variant="light" size="lg">
              {k}: {v}
            </Badge>
          ))}
        </Group>
        {failed > 0 && (
          <>
            <Text size="sm" fw={600}>
              Rows with errors{result.errorsTruncated ? ` (first ${result.errors.length} of ${failed})` : ''}
            </Text>
            <Table aria-label="Row errors" withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.errors.map((e, i) => (
                  <Table.Tr key={`${e.row}-${i}`}>
                    <Table.Td>{e.row}</Table.Td>
                    <Table.Td>{e.field ?? '—'}</Table.Td>
                    <Table.Td>{e.reason}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
        {result.changes.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {result.dryRun ? 'Rows that would change something' : 'Rows that changed something'} (first {result.changes.length})
            </Text>
            <Table aria-label="Row changes" withTableBorder fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Email</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.changes.map((c, i) => (
                  <Table.Tr key={`${c.row}-${i}`}>
                    <Table.Td>{c.row}</Table.Td>
                    <Table.Td>{c.action}</Table.Td>
                    <Table.Td>{c.email ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Card>
  );
}
