/**
 * The directory user's security page: passkeys (add, remove), the authenticator app (set up with a
 * QR code, confirm, remove), sign out. A user whose organisation requires a second factor lands here
 * after the password and goes on to return_to once one is set up.
 */
import { Alert, Badge, Button, Card, Code, Group, Image, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { unwrap } from '../api/client.ts';
import { describeError } from '../api/errors.ts';
import { portalApi } from './portal-client.ts';
import { portalSessionKey, usePortalSession } from './portal-session.ts';
import { addPasskey } from './passkey-ceremonies.ts';
import { safeReturnTo } from './return-to.ts';

export function SecurityPage() {
  const { state, loading } = usePortalSession();
  const [params] = useSearchParams();
  const returnTo = safeReturnTo(params.get('return_to'));
  const stage = state?.stage;
  // Once the enrolment the policy asked for is done, go on to where the sign-in was going.
  const [enrolling, setEnrolling] = useState(false);
  useEffect(() => {
    if (stage === 'enrol') setEnrolling(true);
    else if (enrolling && stage === 'full') window.location.assign(returnTo);
  }, [enrolling, stage, returnTo]);
  if (loading) return null;
  if (!state || state.stage === 'second_factor') return <Navigate to={`/portal/sign-in?return_to=${encodeURIComponent('/portal/security')}`} replace />;
  return (
    <Stack>
      <Title order={1} size="h2">
        Security
      </Title>
      <Text c="dimmed">Signed in as {state.user.email}</Text>
      {state.stage === 'enrol' && (
        <Alert color="yellow" title="Set up a second factor">
          Your organisation requires a second factor. Add a passkey or an authenticator app to continue.
        </Alert>
      )}
      <PasskeysCard full={state.stage === 'full'} />
      <TotpCard enabled={state.totp} full={state.stage === 'full'} />
    </Stack>
  );
}

/** A name the user recognises in the list: the browser and system it was made on. */
function passkeyName(): string {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrome\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : 'device';
  return `${browser} on ${system}`;
}

function PasskeysCard({ full }: { full: boolean }) {
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['portal-passkeys'], queryFn: () => unwrap(portalApi.GET('/portal/api/passkeys')) });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: ['portal-passkeys'] }), qc.invalidateQueries({ queryKey: portalSessionKey })]);
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Passkeys
          </Title>
          <Button
            loading={busy}
            onClick={() => {
              setError(null);
              setBusy(true);
              addPasskey(passkeyName())
                .then(async () => {
                  notifications.show({ color: 'green', message: 'Passkey added' });
                  await refresh();
                })
                .catch((e: unknown) => setError(describeError(e)))
                .finally(() => setBusy(false));
            }}
          >
            Add a passkey
          </Button>
        </Group>
        <Text size="sm" c="dimmed">
          Sign in with your fingerprint, face or device PIN instead of a password.
        </Text>
        {error && <Alert color="red">{error}</Alert>}
        {list.data?.items.length === 0 && <Text size="sm">No passkey yet.</Text>}
        {list.data?.items.map((p) => (
          <Group key={p.id} justify="space-between" data-testid="passkey-row">
            <Text>
              {p.name} <Text span size="xs" c="dimmed" data-volatile>added {new Date(p.createdAt).toLocaleString()}</Text>
            </Text>
            {full && (
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => {
                  unwrap(portalApi.DELETE('/portal/api/passkeys/{id}', { params: { path: { id: p.id } } }))
                    .then(refresh)
                    .catch((e: unknown) => setError(describeError(e)));
                }}
              >
                Remove
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

function TotpCard({ enabled, full }: { enabled: boolean; full: boolean }) {
  const qc = useQueryClient();
  const [setup, setSetup] = useState<{ uri: string; secret: string; qrSvg: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { code: '' }, validate: { code: (v) => (/^\d{3} ?\d{3}$/.test(v.trim()) ? null : 'Enter the 6 digits your app shows') } });
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4">
            Authenticator app {enabled && <Badge color="green">On</Badge>}
          </Title>
          {!enabled && !setup && (
            <Button
              variant="default"
              onClick={() => {
                setError(null);
                unwrap(portalApi.POST('/portal/api/totp/setup', { body: {} }))
                  .then(setSetup)
                  .catch((e: unknown) => setError(describeError(e)));
              }}
            >
              Set up
            </Button>
          )}
          {enabled && full && (
            <Button
              variant="subtle"
              color="red"
              onClick={() => {
                unwrap(portalApi.DELETE('/portal/api/totp'))
                  .then(() => qc.invalidateQueries({ queryKey: portalSessionKey }))
                  .catch((e: unknown) => setError(describeError(e)));
              }}
            >
              Remove
            </Button>
          )}
        </Group>
        {error && <Alert color="red">{error}</Alert>}
        {setup && (
          <form
            noValidate
            onSubmit={form.onSubmit(async (v) => {
              setError(null);
              try {
                await unwrap(portalApi.POST('/portal/api/totp/confirm', { body: { code: v.code.trim() } }));
                setSetup(null);
                await qc.invalidateQueries({ queryKey: portalSessionKey });
              } catch (e) {
                setError(describeError(e));
              }
            })}
          >
            <Stack>
              <Text size="sm">Scan this code with your authenticator app, or type the key, then enter the code it shows.</Text>
              <Image src={`data:image/svg+xml;utf8,${encodeURIComponent(setup.qrSvg)}`} alt="QR code for the authenticator app" w={180} h={180} />
              <Code>{setup.secret}</Code>
              <TextInput label="Code" inputMode="numeric" autoComplete="one-time-code" {...form.getInputProps('code')} />
              <Button type="submit">Confirm</Button>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
