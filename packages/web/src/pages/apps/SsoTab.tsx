/**
 * The SSO tab of an application: the method (off, SAML, JWT), exactly what to paste into the
 * application's admin center (its single sign-on settings), the
 * signing certificates with rotation, and *Test sign-in as…* (what Roster would send for a user).
 * Nothing secret is ever shown: the JWT shared secret is write-only, private keys never leave the server.
 */
import { Alert, Anchor, Badge, Button, Code, CopyButton, Group, NumberInput, PasswordInput, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import type { Answer } from '../../api/types.ts';
import { DirectoryPicker, parsePicked } from '../../components/DirectoryPicker.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { useSession } from '../../auth/session.tsx';
import { certificateStateHelp, certificateStateWords, codeSentence } from '../../lib/words.ts';
import type { AppView } from './app-api.ts';

type SsoView = Answer<'/api/apps/{id}/sso', 'get'>;
type Preview = Answer<'/api/apps/{id}/sso/test', 'post'>;
const ssoKey = (id: string) => ['apps', id, 'sso'] as const;

function PasteRow(props: { label: string; value: string | null; testId: string }) {
  return (
    <Table.Tr>
      <Table.Td>{props.label}</Table.Td>
      <Table.Td>
        <Code data-testid={props.testId}>{props.value ?? '—'}</Code>
      </Table.Td>
      <Table.Td>
        {props.value && (
          <CopyButton value={props.value}>
            {({ copied, copy }) => (
              <Button size="xs" variant="subtle" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

export function SsoTab({ app }: { app: AppView }) {
  const { admin } = useSession();
  const canWrite = admin?.permissions.includes('manage_provisioning') ?? false;
  const queryClient = useQueryClient();
  const sso = useQuery({ queryKey: ssoKey(app.id), queryFn: () => unwrap(api.GET('/api/apps/{id}/sso', { params: { path: { id: app.id } } })) });
  const [secret, setSecret] = useState('');
  const [logoutUrl, setLogoutUrl] = useState<string | null>(null);
  const [picked, setPicked] = useState<{ value: string | null; label: string }>({ value: null, label: '' });
  const [preview, setPreview] = useState<Preview | null>(null);

  const refresh = (saved?: SsoView) => (saved ? queryClient.setQueryData(ssoKey(app.id), saved) : queryClient.invalidateQueries({ queryKey: ssoKey(app.id) }));
  const fail = (what: string) => (e: unknown) => notifications.show({ color: 'red', title: `${what} failed`, message: describeError(e) });
  const save = useMutation({
    mutationFn: (body: { method?: 'off' | 'saml' | 'jwt'; jwtSecret?: string; overlapDays?: number; samlLogoutUrl?: string | null }) =>
      unwrap(api.PATCH('/api/apps/{id}/sso', { params: { path: { id: app.id } }, headers: ifMatch(sso.data!.version), body })),
    onSuccess: (saved) => {
      setSecret('');
      setLogoutUrl(null);
      void refresh(saved);
      notifications.show({ color: 'green', message: 'SSO settings saved.' });
    },
    onError: fail('Saving'),
  });
  const rotate = useMutation({ mutationFn: () => unwrap(api.POST('/api/apps/{id}/sso/certificates/rotate', { params: { path: { id: app.id } } })), onSuccess: () => void refresh(), onError: fail('Rotation') });
  const activate = useMutation({ mutationFn: () => unwrap(api.POST('/api/apps/{id}/sso/certificates/activate-next', { params: { path: { id: app.id } } })), onSuccess: () => void refresh(), onError: fail('Activation') });
  const test = useMutation({
    mutationFn: (userId: string) => unwrap(api.POST('/api/apps/{id}/sso/test', { params: { path: { id: app.id } }, body: { userId } })),
    onSuccess: setPreview,
    onError: fail('Test sign-in'),
  });

  if (sso.isLoading) return <LoadingState />;
  if (sso.error || !sso.data) return <ErrorState error={sso.error} onRetry={() => void sso.refetch()} />;
  const v = sso.data;
  if (v.methods.length === 0) return <Alert color="gray">{app.typeName} has no single sign-on through Roster.</Alert>;
  const next = v.certificates.find((c) => c.state === 'next');

  return (
    <Stack gap="lg" data-testid="sso-tab">
      <Stack gap="xs">
        <Title order={4}>Sign-in method</Title>
        <SegmentedControl
          value={v.method}
          disabled={!canWrite || save.isPending}
          onChange={(method) => {
            if (method === 'jwt' && !v.jwtSecretSet) {
              notifications.show({ color: 'yellow', message: 'Paste the shared secret below first, then choose JWT.' });
              return;
            }
            save.mutate({ method: method as 'off' | 'saml' | 'jwt' });
          }}
          data={[{ value: 'off', label: 'Off' }, ...v.methods.map((m) => ({ value: m, label: m === 'saml' ? 'SAML 2.0' : 'JWT' }))]}
          data-testid="sso-method"
        />
        {!v.target && <Alert color="yellow">Set the account (subdomain) in the application’s settings: Roster needs it to know where sign-ins go.</Alert>}
      </Stack>

      <Stack gap="xs">
        <Title order={4}>What to paste into {app.typeName}</Title>
        <Text size="sm" c="dimmed">
          In {app.typeName}'s admin center, create a single sign-on configuration with these values. See the guide “Single sign-on to {app.typeName}”.
        </Text>
        <Table withTableBorder>
          <Table.Tbody>
            {v.method !== 'jwt' ? (
              <>
                <PasteRow label="SAML SSO URL" value={v.paste.samlSignInUrl} testId="sso-saml-url" />
                <PasteRow label="Certificate fingerprint (SHA-256)" value={v.paste.certificateFingerprintSha256} testId="sso-fingerprint" />
                <PasteRow label="Remote logout URL" value={v.paste.remoteLogoutUrl} testId="sso-logout-url" />
              </>
            ) : (
              <>
                <PasteRow label="Remote login URL" value={v.paste.jwtRemoteLoginUrl} testId="sso-jwt-url" />
                <PasteRow label="Remote logout URL" value={v.paste.remoteLogoutUrl} testId="sso-logout-url" />
              </>
            )}
          </Table.Tbody>
        </Table>
        <Text size="sm">
          IdP metadata:{' '}
          <Anchor href={v.paste.metadataUrl} target="_blank" rel="noreferrer">
            {v.paste.metadataUrl}
          </Anchor>
        </Text>
        {v.methods.includes('jwt') && canWrite && (
          <Group align="flex-end">
            <PasswordInput
              label="JWT shared secret (from Admin Center)"
              description={v.jwtSecretSet ? 'A secret is set. Paste a new one to replace it.' : 'Not set.'}
              value={secret}
              onChange={(e) => setSecret(e.currentTarget.value)}
              w={420}
              data-testid="sso-jwt-secret"
            />
            <Button disabled={secret.trim().length === 0} loading={save.isPending} onClick={() => save.mutate({ jwtSecret: secret })}>
              Save secret
            </Button>
          </Group>
        )}
        {v.methods.includes('saml') && v.method !== 'jwt' && (
          <Group align="flex-end">
            <TextInput
              label="Service provider’s SAML logout URL (optional)"
              description={`Only for a service provider that sends SAML LogoutRequests: Roster sends its signed LogoutResponse there. ${app.typeName} itself uses the remote logout URL above. Must be one of ${app.typeName}’s own URLs.`}
              value={logoutUrl ?? v.samlLogoutUrl ?? ''}
              onChange={(e) => setLogoutUrl(e.currentTarget.value)}
              readOnly={!canWrite}
              w={420}
              data-testid="sso-sp-logout-url"
            />
            {canWrite && (
              <Button variant="default" disabled={logoutUrl === null} loading={save.isPending} onClick={() => save.mutate({ samlLogoutUrl: logoutUrl?.trim() ? logoutUrl.trim() : null })}>
                Save logout URL
              </Button>
            )}
          </Group>
        )}
      </Stack>

      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>Signing certificates</Title>
          {canWrite && (
            <Group>
              <NumberInput label="Overlap (days)" size="xs" w={120} min={0} max={365} defaultValue={v.overlapDays} onBlur={(e) => save.mutate({ overlapDays: Number(e.currentTarget.value) })} />
              <Button size="xs" variant="default" disabled={!!next} loading={rotate.isPending} onClick={() => rotate.mutate()}>
                Rotate
              </Button>
              <Button size="xs" disabled={!next} loading={activate.isPending} onClick={() => activate.mutate()}>
                Activate next
              </Button>
            </Group>
          )}
        </Group>
        {next && (
          <Alert color="blue">
            The next certificate is published in the metadata now. Paste its fingerprint into {app.typeName}, then activate it (or it becomes active by itself on {new Date(next.activateAt ?? '').toLocaleString()}).
          </Alert>
        )}
        <Table withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>State</Table.Th>
              <Table.Th>SHA-256 fingerprint</Table.Th>
              <Table.Th>Valid until</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {v.certificates.map((c) => (
              <Table.Tr key={c.id} data-testid={`sso-certificate-${c.state}`}>
                <Table.Td>
                  <Badge color={c.state === 'active' ? 'green' : c.state === 'next' ? 'blue' : 'gray'}>{certificateStateWords[c.state]}</Badge>
                  <Text size="xs" c="dimmed" maw={320}>
                    {certificateStateHelp[c.state]}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Code>{c.fingerprintSha256}</Code>
                </Table.Td>
                <Table.Td>{new Date(c.notAfter).toLocaleDateString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>

      <Stack gap="xs">
        <Title order={4}>Test sign-in as…</Title>
        <Group align="flex-end">
          <DirectoryPicker label="User" kinds={['user']} value={picked.value} onChange={(value, label) => setPicked({ value, label })} />
          <Button
            disabled={!picked.value}
            loading={test.isPending}
            onClick={() => {
              const p = picked.value ? parsePicked(picked.value, picked.label) : null;
              if (p) test.mutate(p.memberId);
            }}
            data-testid="sso-test"
          >
            Show what Roster would send
          </Button>
        </Group>
        {preview && <PreviewResult preview={preview} />}
      </Stack>
    </Stack>
  );
}

function PreviewResult({ preview }: { preview: Preview }) {
  if (preview.refusal) {
    return (
      <Alert color="red" title={codeSentence(preview.refusal.code)} data-testid="sso-test-refusal">
        {preview.refusal.message} {preview.refusal.advice}
      </Alert>
    );
  }
  const rows: [string, string][] =
    preview.method === 'jwt'
      ? Object.entries(preview.claims ?? {}).map(([k, val]) => [k, typeof val === 'string' ? val : JSON.stringify(val)])
      : [['NameID', preview.nameId ?? ''], ['Audience', preview.audience ?? ''], ['Recipient', preview.recipient ?? ''], ...(preview.attributes ?? []).map((a) => [a.name, a.values.join(', ')] as [string, string])];
  return (
    <Table withTableBorder data-testid="sso-test-result">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{preview.method === 'jwt' ? 'Claim' : 'Attribute'}</Table.Th>
          <Table.Th>Value</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(([k, val]) => (
          <Table.Tr key={k}>
            <Table.Td>
              <Code>{k}</Code>
            </Table.Td>
            <Table.Td>{val}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
