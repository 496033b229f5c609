/**
 * The connection of the Provisioning tab (guide A steps 4–8, guide B steps 3–5): OAuth (the
 * redirect URL to register in Zendesk, the client identifier and secret, Authorize → Zendesk's
 * consent page → back here with ?connected=1) or an admin email and API token; and Test
 * connection with each step's outcome. Secrets are write-only: the page never sees stored ones.
 */
import { Alert, Badge, Button, Card, Code, CopyButton, Group, List, PasswordInput, SegmentedControl, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import { connectionLook, testsTypedValues } from '../../lib/apps/connection-state.ts';
import { type AppView, type ConfigView, type TestResult, appKeys } from './app-api.ts';
import { TargetSettingsModal } from './TargetSettingsModal.tsx';
import type { SectionProps } from './flow-step.ts';
import { leaveOnPurpose, useReportDirty } from '../../components/UnsavedChanges.tsx';

type Method = 'oauth' | 'api_token';

export function ConnectionSection({ app, config, mayManage, onDirtyChange }: { app: AppView; config: ConfigView; mayManage: boolean } & Pick<SectionProps, 'onDirtyChange'>) {
  const queryClient = useQueryClient();
  const c = config.connection;
  const [method, setMethod] = useState<Method>(c.method ?? 'oauth');
  const [tested, setTested] = useState<{ result: TestResult; unsaved: boolean } | null>(null);
  const [editingTarget, setEditingTarget] = useState(false);
  const look = connectionLook(c);
  const form = useForm({ initialValues: { clientId: c.clientId ?? '', clientSecret: '', adminEmail: c.adminEmail ?? '', apiToken: '' } });
  const path = { id: app.id };
  const fv = form.values;
  useReportDirty(!!fv.clientSecret || !!fv.apiToken || fv.clientId !== (c.clientId ?? '') || fv.adminEmail !== (c.adminEmail ?? ''), onDirtyChange);

  const saveConnection = async () => {
    const v = form.values;
    const body = method === 'oauth' ? { method, clientId: v.clientId, clientSecret: v.clientSecret } : { method, adminEmail: v.adminEmail, apiToken: v.apiToken };
    const saved = await unwrap(api.PUT('/api/apps/{id}/provisioning/connection', { params: { path }, headers: ifMatch(config.version), body }));
    queryClient.setQueryData(appKeys.config(app.id), saved);
    form.setFieldValue('clientSecret', '');
    form.setFieldValue('apiToken', '');
    return saved;
  };

  const save = useMutation({
    mutationFn: saveConnection,
    onSuccess: () => {
      setTested(null);
      notifications.show({ color: 'green', message: 'Credentials saved. Test the connection next.' });
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  // Authorize: save the client details when new ones were typed, then leave for Zendesk's consent page.
  const authorize = useMutation({
    mutationFn: async () => {
      if (form.values.clientSecret || !c.hasClientSecret || form.values.clientId !== (c.clientId ?? '')) await saveConnection();
      const { authorizeUrl } = await unwrap(api.POST('/api/apps/{id}/provisioning/oauth/authorize', { params: { path } }));
      leaveOnPurpose();
      window.location.assign(authorizeUrl);
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  // Typed but unsaved API token values are tested as they are (nothing stored); otherwise the saved credentials.
  const typed = testsTypedValues(method, form.values);
  const test = useMutation({
    mutationFn: async () => {
      if (!typed) return { result: await unwrap(api.POST('/api/apps/{id}/provisioning/test', { params: { path } })), unsaved: false };
      const body = { method: 'api_token' as const, adminEmail: form.values.adminEmail, apiToken: form.values.apiToken };
      return { result: await unwrap(api.POST('/api/apps/{id}/provisioning/test-values', { params: { path }, body })), unsaved: true };
    },
    onSuccess: (r) => {
      setTested(r);
      if (r.unsaved) return;
      void queryClient.invalidateQueries({ queryKey: appKeys.config(app.id) });
      void queryClient.invalidateQueries({ queryKey: appKeys.roles(app.id) });
      void queryClient.invalidateQueries({ queryKey: appKeys.fields(app.id) });
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  return (
    <Card withBorder aria-label="Connection">
      <Stack>
        <Group justify="space-between">
          <Text fw={600}>Connection</Text>
          <Badge color={look.color} data-testid="connection-state">
            {look.label}
          </Badge>
        </Group>
        {look.cause && (
          <Alert color="red" variant="light" title="The saved credentials do not work" data-testid="connection-cause">
            {look.cause}
            {c.lastTest && <Text size="xs" c="dimmed">Last tested {new Date(c.lastTest.at).toLocaleString()}.</Text>}
          </Alert>
        )}
        <Text size="sm" c="dimmed">
          Subdomain: <Code>{config.subdomain ?? '—'}</Code>
          {mayManage && (
            <Button size="compact-xs" variant="subtle" ml={4} onClick={() => setEditingTarget(true)}>
              Change
            </Button>
          )}
          {c.connectedAt && ` · connected ${new Date(c.connectedAt).toLocaleString()}`}
          {c.scopes.length > 0 && ` · scopes ${c.scopes.join(', ')}`}
        </Text>
        <SegmentedControl
          value={method}
          onChange={(v) => setMethod(v as Method)}
          data={[
            { value: 'oauth', label: 'OAuth (recommended)' },
            { value: 'api_token', label: 'API token' },
          ]}
          aria-label="Connection method"
          disabled={!mayManage}
        />
        {method === 'oauth' ? (
          <Stack gap="sm">
            <Text size="sm">
              In Zendesk Admin Center → Apps and integrations → APIs → OAuth clients, add a client with this redirect URL, then paste its identifier and secret here.
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Code data-testid="redirect-url">{config.redirectUrl}</Code>
              <CopyButton value={config.redirectUrl}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? 'Copied' : 'Copy redirect URL'}
                  </Button>
                )}
              </CopyButton>
            </Group>
            <TextInput label="OAuth client identifier" {...form.getInputProps('clientId')} disabled={!mayManage} />
            <PasswordInput
              label="OAuth client secret"
              placeholder={c.hasClientSecret ? 'Stored — type a new one to replace it' : ''}
              {...form.getInputProps('clientSecret')}
              disabled={!mayManage}
            />
            {mayManage && (
              <Group>
                <Button onClick={() => authorize.mutate()} loading={authorize.isPending} disabled={!form.values.clientId || (!form.values.clientSecret && !c.hasClientSecret)}>
                  Authorize
                </Button>
                <Text size="xs" c="dimmed">
                  Opens Zendesk's consent page; after Allow you come back here.
                </Text>
              </Group>
            )}
            {authorize.error && Object.keys(fieldErrors(authorize.error)).length === 0 && (
              <Text c="red" size="sm" role="alert">
                {describeError(authorize.error)}
              </Text>
            )}
          </Stack>
        ) : (
          <form onSubmit={form.onSubmit(() => save.mutate())}>
            <Stack gap="sm">
              <Alert color="yellow" variant="light">
                Zendesk stops API tokens on 30 April 2027: prefer OAuth.
              </Alert>
              <TextInput label="Admin email" description="The Zendesk admin the token acts as." {...form.getInputProps('adminEmail')} disabled={!mayManage} />
              <PasswordInput label="API token" placeholder={c.method === 'api_token' && c.connected ? 'Stored — type a new one to replace it' : ''} description="Zendesk Admin Center → Apps and integrations → APIs → Zendesk API." {...form.getInputProps('apiToken')} disabled={!mayManage} />
              {save.error && Object.keys(fieldErrors(save.error)).length === 0 && (
                <Text c="red" size="sm" role="alert">
                  {describeError(save.error)}
                </Text>
              )}
              {mayManage && (
                <Group>
                  <Button type="submit" loading={save.isPending} disabled={!form.values.adminEmail || !form.values.apiToken}>
                    Save credentials
                  </Button>
                </Group>
              )}
            </Stack>
          </form>
        )}
        {mayManage && (
          <Group>
            <Button variant="light" onClick={() => test.mutate()} loading={test.isPending} disabled={!c.method && !typed}>
              Test connection
            </Button>
            {typed && (
              <Text size="xs" c="dimmed">
                Tests the values typed above, before saving them.
              </Text>
            )}
          </Group>
        )}
        {test.error && (
          <Text c="red" size="sm" role="alert">
            {describeError(test.error)}
          </Text>
        )}
        {tested && <TestReport result={tested.result} unsaved={tested.unsaved} />}
      </Stack>
      {editingTarget && <TargetSettingsModal app={app} onClose={() => setEditingTarget(false)} />}
    </Card>
  );
}

function TestReport({ result, unsaved }: { result: TestResult; unsaved: boolean }) {
  const title = `${result.ok ? 'Connection works' : 'Connection failed'}${unsaved ? (result.ok ? ' (unsaved values: save them to keep them)' : ' (unsaved values: nothing was saved)') : ''}`;
  return (
    <Alert color={result.ok ? 'green' : 'red'} title={title} data-testid="test-result">
      <List spacing={4} size="sm" center>
        {result.steps.map((s) => (
          <List.Item
            key={s.name}
            icon={
              <ThemeIcon size={18} radius="xl" color={s.ok ? 'green' : 'red'}>
                <span aria-hidden>{s.ok ? '✓' : '✗'}</span>
              </ThemeIcon>
            }
          >
            <b>{s.name}</b>: {s.message}
          </List.Item>
        ))}
      </List>
      {result.actingAs && (
        <Text size="sm" mt="xs">
          Acting as {result.actingAs.email ?? result.actingAs.id} ({result.actingAs.role}).
        </Text>
      )}
      {result.warnings.map((w) => (
        <Text key={w} size="sm" c="orange.8">
          Warning: {w}
        </Text>
      ))}
    </Alert>
  );
}
