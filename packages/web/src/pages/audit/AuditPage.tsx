/** The audit log: every admin action, newest first, filtered by actor, action, target and time; exported as CSV. */
import { Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import type { Answer } from '../../api/types.ts';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { auditQuery, type AuditFilters } from '../../lib/audit-filters.ts';
import { auditActionSentence, auditTargetWords, wordFor } from '../../lib/words.ts';
import { currentCursor, firstPage, nextPage, pageNumber, previousPage } from '../../lib/cursor-pages.ts';

type Entry = Answer<'/api/audit', 'get'>['items'][number];

const empty: AuditFilters = { actor: '', action: '', targetType: '', targetId: '', from: '', to: '' };

export function AuditPage() {
  const [draft, setDraft] = useState<AuditFilters>(empty);
  const [filters, setFilters] = useState<AuditFilters>(empty);
  const [pages, setPages] = useState(firstPage);
  const query = { ...auditQuery(filters), limit: 50, ...(currentCursor(pages) ? { cursor: currentCursor(pages) as string } : {}) };
  const entries = useQuery({ queryKey: ['audit', query], queryFn: () => unwrap(api.GET('/api/audit', { params: { query } })), placeholderData: keepPreviousData });
  const exportUrl = `/api/audit/export?${new URLSearchParams({ format: 'csv', ...auditQuery(filters) }).toString()}`;
  const field = (key: keyof AuditFilters, label: string, props: Record<string, unknown> = {}) => (
    <TextInput label={label} value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value })} w={{ base: '100%', xs: 170 }} {...props} />
  );

  return (
    <>
      <PageHeader title="Audit log" description="Every change an admin, a token or Roster itself made, newest first." actions={<Button component="a" href={exportUrl} variant="default" download>Export CSV</Button>} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setPages(firstPage());
          setFilters(draft);
        }}
      >
        <Group align="flex-end" gap="sm" mb="sm">
          {field('actor', 'Actor (email)')}
          {field('action', 'Action', { placeholder: 'e.g. user.update' })}
          {field('targetType', 'Target type', { placeholder: 'e.g. user' })}
          {field('from', 'From', { type: 'datetime-local' })}
          {field('to', 'To', { type: 'datetime-local' })}
          <Button type="submit">Apply filters</Button>
          <Button
            variant="subtle"
            onClick={() => {
              setDraft(empty);
              setFilters(empty);
              setPages(firstPage());
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      {entries.isError ? (
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
      ) : (
        <DataTable<Entry>
          aria-label="Audit entries"
          withTableBorder
          striped
          minHeight={entries.data?.items.length ? 0 : 160}
          fetching={entries.isFetching}
          records={entries.data?.items ?? []}
          noRecordsText=""
          emptyState={entries.isPending ? <span /> : <EmptyState title="No entries match">Change or clear the filters.</EmptyState>}
          rowExpansion={{
            content: ({ record }) => (
              <Code block fz="xs">
                {JSON.stringify({ before: record.before, after: record.after, requestId: record.requestId }, null, 2)}
              </Code>
            ),
          }}
          columns={[
            { accessor: 'at', title: 'When', render: (e) => new Date(e.at).toLocaleString() },
            { accessor: 'actorEmail', title: 'Actor', render: (e) => e.actorEmail ?? e.via },
            {
              accessor: 'action',
              // In words, with the code (what the Action filter takes) underneath.
              render: (e) => (
                <Stack gap={0}>
                  <Text size="sm">{auditActionSentence(e.action)}</Text>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {e.action}
                  </Text>
                </Stack>
              ),
            },
            {
              accessor: 'targetType',
              title: 'Target',
              // The target's name; its whole id only when it has none.
              render: (e) => (
                <Text size="sm" data-testid="audit-target">
                  {wordFor(auditTargetWords, e.targetType)}
                  {e.targetName ? `: ${e.targetName}` : e.targetId ? ` ${e.targetId}` : ''}
                </Text>
              ),
              visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})`,
            },
            { accessor: 'via', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.md})` },
          ]}
        />
      )}
      <CursorPager page={pageNumber(pages)} hasNext={Boolean(entries.data?.nextCursor)} busy={entries.isFetching} onPrevious={() => setPages(previousPage)} onNext={() => setPages((p) => nextPage(p, entries.data?.nextCursor))} />
    </>
  );
}
