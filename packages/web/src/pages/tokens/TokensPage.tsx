/** Your personal API tokens (for the CLI and scripts): create (value shown once), list, revoke. */
import { Badge, Button, Card, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import type { Answer } from '../../api/types.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { SecretOnce } from '../../components/SecretOnce.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';

type Token = Answer<'/api/tokens', 'get'>['items'][number];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

export function TokensPage() {
  const qc = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => unwrap(api.GET('/api/tokens')) });
  const [created, setCreated] = useState<{ name: string; value: string } | null>(null);
  const form = useForm<{ name: string; expiresInDays: number | string }>({ initialValues: { name: '', expiresInDays: '' }, validate: { name: (v) => (v.trim() ? null : 'Name the token (what uses it)') } });

  function revoke(t: Token) {
    modals.openConfirmModal({
      title: `Revoke the token ${t.name}?`,
      children: <Text size="sm">Scripts using it stop working at once.</Text>,
      labels: { confirm: 'Revoke', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await unwrap(api.DELETE('/api/tokens/{id}', { params: { path: { id: t.id } } }));
          await qc.invalidateQueries({ queryKey: ['tokens'] });
          notifications.show({ color: 'green', message: `Token ${t.name} revoked.` });
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not revoked', message: describeError(e) });
        }
      },
    });
  }

  return (
    <>
      <PageHeader title="API tokens" description="Personal tokens for the roster CLI and scripts: they act as you, with your permissions." />
      <Stack>
        <Card withBorder>
          <form
            noValidate
            onSubmit={form.onSubmit(async (v) => {
              try {
                const days = typeof v.expiresInDays === 'number' ? v.expiresInDays : undefined;
                const r = await unwrap(api.POST('/api/tokens', { body: { name: v.name.trim(), ...(days ? { expiresInDays: days } : {}) } }));
                setCreated({ name: r.token.name, value: r.value });
                form.reset();
                await qc.invalidateQueries({ queryKey: ['tokens'] });
              } catch (e) {
                form.setErrors(Object.keys(fieldErrors(e)).length ? fieldErrors(e) : { name: describeError(e) });
              }
            })}
          >
            <Group align="flex-end">
              <TextInput label="Token name" placeholder="e.g. nightly HR sync" required w={{ base: '100%', xs: 260 }} {...form.getInputProps('name')} />
              <NumberInput label="Expires after (days)" placeholder="never" min={1} max={3650} w={170} {...form.getInputProps('expiresInDays')} />
              <Button type="submit" loading={form.submitting}>
                Create token
              </Button>
            </Group>
          </form>
        </Card>
        {created && <SecretOnce title={`Token ${created.name} created`} value={created.value} />}
        {tokens.isError ? (
          <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />
        ) : (
          <DataTable<Token>
            aria-label="API tokens"
            withTableBorder
            minHeight={tokens.data?.items.length ? 0 : 160}
            fetching={tokens.isFetching}
            records={tokens.data?.items ?? []}
            noRecordsText=""
            emptyState={tokens.isPending ? <span /> : <EmptyState title="No tokens yet">Create one for the CLI or a script.</EmptyState>}
            columns={[
              { accessor: 'name' },
              { accessor: 'prefix', title: 'Starts with', render: (t) => <code>{t.prefix}…</code> },
              { accessor: 'createdAt', title: 'Created', render: (t) => when(t.createdAt), visibleMediaQuery: (th) => `(min-width: ${th.breakpoints.sm})` },
              { accessor: 'lastUsedAt', title: 'Last used', render: (t) => when(t.lastUsedAt), visibleMediaQuery: (th) => `(min-width: ${th.breakpoints.sm})` },
              { accessor: 'expiresAt', title: 'Expires', render: (t) => when(t.expiresAt) },
              {
                accessor: 'revokedAt',
                title: 'State',
                render: (t) =>
                  t.revokedAt ? (
                    <Badge color="gray">revoked</Badge>
                  ) : (
                    <Button size="compact-xs" variant="subtle" color="red" aria-label={`Revoke ${t.name}`} onClick={() => revoke(t)}>
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </Stack>
    </>
  );
}
