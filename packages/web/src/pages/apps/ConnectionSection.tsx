/**
 * The connection of the Provisioning tab (guide A steps 4–8, guide B steps 3–5), rendered from the
 * connector's connection methods (`GET /api/gallery`: each method's fields): OAuth (the redirect URL
 * to register in the target, the client's fields, Authorize → the target's consent page → back here
 * with ?connected=1) or a method that works once saved (an API token, a bearer token, …) with its
 * fields; and Test connection with each step's outcome.
 * Secrets are write-only: the page never sees stored ones.
 */
import { Alert, Badge, Button, Card, Code, CopyButton, Group, List, PasswordInput, SegmentedControl, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type ReactNode, useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import { connectionLook, testsTypedValues } from '../../lib/apps/connection-state.ts';
import { type AppView, type ConfigView, type GalleryEntry, type TestResult, appKeys, useGallery } from './app-api.ts';
import { TargetSettingsModal } from './TargetSettingsModal.tsx';
import type { SectionProps } from './flow-step.ts';
import { leaveOnPurpose, useReportDirty } from '../../components/UnsavedChanges.tsx';

/** One of the connector's connection methods; `oauth` is the authorization code flow. */
type Method = string;
type MethodForm = GalleryEntry['connectionMethods'][number];
type FormField = MethodForm['fields'][number];

/** The clear (non-secret) value the connection view holds for a field, e.g. the client identifier. */
const storedValue = (c: ConfigView['connection'], key: string): string => {
  const v = c.fields[key] ?? (c as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : '';
};

export function ConnectionSection({ app, config, mayManage, onDirtyChange }: { app: AppView; config: ConfigView; mayManage: boolean } & Pick<SectionProps, 'onDirtyChange'>) {
  const queryClient = useQueryClient();
  const c = config.connection;
  const gallery = useGallery();
  const entry = gallery.data?.items.find((g) => g.key === app.type);
  const methods: readonly MethodForm[] = entry?.connectionMethods ?? [];
  const [chosen, setMethod] = useState<Method | null>(c.method);
  const current = methods.find((m) => m.method === chosen) ?? methods.find((m) => m.recommended) ?? methods[0];
  const method: Method = current?.method ?? chosen ?? 'oauth';
  const fields: readonly FormField[] = current?.fields ?? [];
  const allFields = methods.flatMap((m) => m.fields);
  const [tested, setTested] = useState<{ result: TestResult; unsaved: boolean } | null>(null);
  const [editingTarget, setEditingTarget] = useState(false);
  const look = connectionLook(c, methods.find((m) => m.method === c.method)?.label);
  const form = useForm<Record<string, string>>({ initialValues: {} });
  const valueOf = (key: string): string => form.values[key] ?? '';
  const edited = (f: FormField): boolean => (f.type === 'secret' ? valueOf(f.key) !== '' : (form.values[f.key] ?? storedValue(c, f.key)) !== storedValue(c, f.key));
  const textOf = (f: FormField): string => form.values[f.key] ?? (f.type === 'secret' ? '' : storedValue(c, f.key));
  // A secret is stored for this method: OAuth keeps its client secret, an API token connection its token.
  const secretStored = (m: Method): boolean => c.method === m && (m === 'oauth' ? c.hasClientSecret : c.connected);
  const bodyOf = (m: MethodForm) => ({ method: m.method, ...Object.fromEntries(m.fields.map((f) => [f.key, textOf(f)])) }) as { method: Method } & Record<string, string>;
  const clearSecrets = () => {
    for (const f of allFields) if (f.type === 'secret') form.setFieldValue(f.key, '');
  };
  const path = { id: app.id };
  useReportDirty(allFields.some(edited), onDirtyChange);

  const saveConnection = async () => {
    if (!current) throw new Error('no connection method');
    // The body is the method's fields: the API checks it against the connection schema.
    const body = bodyOf(current) as never;
    const saved = await unwrap(api.PUT('/api/apps/{id}/provisioning/connection', { params: { path }, headers: ifMatch(config.version), body }));
    queryClient.setQueryData(appKeys.config(app.id), saved);
    clearSecrets();
    return saved;
  };
  // Every required field typed (a secret may be the stored one when `storedCounts`).
  const complete = (storedCounts: boolean): boolean => fields.every((f) => !f.required || textOf(f).trim() !== '' || (storedCounts && f.type === 'secret' && secretStored(method)));

  const save = useMutation({
    mutationFn: saveConnection,
    onSuccess: () => {
      setTested(null);
      notifications.show({ color: 'green', message: 'Credentials saved. Test the connection next.' });
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  // Authorize: save the client details when new ones were typed, then leave for the target's consent page.
  const authorize = useMutation({
    mutationFn: async () => {
      if (fields.some(edited) || !secretStored('oauth')) await saveConnection();
      const { authorizeUrl } = await unwrap(api.POST('/api/apps/{id}/provisioning/oauth/authorize', { params: { path } }));
      leaveOnPurpose();
      window.location.assign(authorizeUrl);
    },
    onError: (e) => form.setErrors(fieldErrors(e)),
  });

  // Typed but unsaved API token values are tested as they are (nothing stored); otherwise the saved credentials.
  const typed = testsTypedValues(method, Object.fromEntries(fields.map((f) => [f.key, textOf(f)])), fields.filter((f) => f.required).map((f) => f.key));
  const test = useMutation({
    mutationFn: async () => {
      if (!typed || !current) return { result: await unwrap(api.POST('/api/apps/{id}/provisioning/test', { params: { path } })), unsaved: false };
      const body = bodyOf(current) as never;
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
          {entry?.settings[0]?.label ?? 'Account'}: <Code>{config.subdomain ?? '—'}</Code>
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
          data={methods.map((m) => ({ value: m.method, label: m.recommended ? `${m.label} (recommended)` : m.label }))}
          aria-label="Connection method"
          disabled={!mayManage}
        />
        {method === 'oauth' ? (
          <Stack gap="sm">
            {current?.help && <Text size="sm">{current.help}</Text>}
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
            {fields.map((f) => (
              <ConnectionField key={f.key} field={f} value={textOf(f)} stored={f.type === 'secret' && secretStored('oauth')} error={form.errors[f.key]} onChange={(v) => form.setFieldValue(f.key, v)} disabled={!mayManage} />
            ))}
            {mayManage && (
              <Group>
                <Button onClick={() => authorize.mutate()} loading={authorize.isPending} disabled={!complete(true)}>
                  Authorize
                </Button>
                {current?.authorizeHelp && (
                  <Text size="xs" c="dimmed">
                    {current.authorizeHelp}
                  </Text>
                )}
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
              {current?.notice && (
                <Alert color="yellow" variant="light">
                  {current.notice}
                </Alert>
              )}
              {current?.help && <Text size="sm">{current.help}</Text>}
              {fields.map((f) => (
                <ConnectionField key={f.key} field={f} value={textOf(f)} stored={f.type === 'secret' && secretStored(method)} error={form.errors[f.key]} onChange={(v) => form.setFieldValue(f.key, v)} disabled={!mayManage} />
              ))}
              {save.error && Object.keys(fieldErrors(save.error)).length === 0 && (
                <Text c="red" size="sm" role="alert">
                  {describeError(save.error)}
                </Text>
              )}
              {mayManage && (
                <Group>
                  <Button type="submit" loading={save.isPending} disabled={!complete(false)}>
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

/** One field of a connection method's form; a stored secret is never shown, only said to be there. */
function ConnectionField({ field, value, stored, error, onChange, disabled }: { field: FormField; value: string; stored: boolean; error: ReactNode; onChange(v: string): void; disabled: boolean }) {
  const common = { label: field.label, description: field.help, value, error, disabled, onChange: (e: ChangeEvent<HTMLInputElement>) => onChange(e.currentTarget.value) };
  if (field.type === 'secret') return <PasswordInput {...common} placeholder={stored ? 'Stored — type a new one to replace it' : (field.placeholder ?? '')} />;
  // Typed as text (no browser validation): the API answers a bad value with the field's own message.
  return <TextInput {...common} inputMode={field.type === 'text' ? 'text' : field.type} placeholder={field.placeholder} />;
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
