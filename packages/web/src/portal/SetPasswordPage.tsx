/**
 * The page of an invitation link (/portal/accept-invitation) or a reset link (/portal/reset-password):
 * the token is in the URL fragment, which the browser never sends to a server.
 */
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Link } from 'react-router';
import { unwrap } from '../api/client.ts';
import { describeError, fieldErrors } from '../api/errors.ts';
import { portalApi } from './portal-client.ts';

export function SetPasswordPage({ kind }: { kind: 'invite' | 'reset' }) {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { password: '', repeat: '' },
    validate: {
      password: (v) => (v.length >= 12 ? null : 'Use at least 12 characters'),
      repeat: (v, all) => (v === all.password ? null : 'The passwords differ'),
    },
  });
  const title = kind === 'invite' ? 'Choose your password' : 'Choose a new password';
  return (
    <Center>
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {!token && <Alert color="red">This link is incomplete: open the link from the email again.</Alert>}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          {done ? (
            <>
              <Text>Your password is set.</Text>
              <Button component={Link} to={`/portal/sign-in?email=${encodeURIComponent(done)}`}>
                Sign in
              </Button>
            </>
          ) : (
            <form
              noValidate
              onSubmit={form.onSubmit(async (v) => {
                setError(null);
                try {
                  const path = kind === 'invite' ? '/portal/api/invitations/accept' : '/portal/api/password/reset';
                  const r = await unwrap(portalApi.POST(path, { body: { token, password: v.password } }));
                  setDone(r.email);
                } catch (e) {
                  const fields = fieldErrors(e);
                  if (fields['password']) form.setFieldError('password', fields['password']);
                  else setError(describeError(e));
                }
              })}
            >
              <Stack>
                <PasswordInput label="New password" description="At least 12 characters" autoComplete="new-password" {...form.getInputProps('password')} />
                <PasswordInput label="Repeat it" autoComplete="new-password" {...form.getInputProps('repeat')} />
                <Button type="submit" loading={form.submitting} disabled={!token}>
                  Set password
                </Button>
              </Stack>
            </form>
          )}
          {kind === 'reset' && !done && (
            <Anchor component={Link} to="/portal/forgot-password" size="sm">
              Ask for a new link
            </Anchor>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}

export function ForgotPasswordPage() {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '' }, validate: { email: (v) => (v.trim() ? null : 'Enter your email') } });
  return (
    <Center>
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Forgot your password?
          </Title>
          {error && <Alert color="red">{error}</Alert>}
          {sent ? (
            <Text>If this email belongs to an account, a link to choose a new password is on its way. It works once, for one hour.</Text>
          ) : (
            <form
              noValidate
              onSubmit={form.onSubmit(async (v) => {
                setError(null);
                try {
                  await unwrap(portalApi.POST('/portal/api/password/forgot', { body: { email: v.email.trim() } }));
                  setSent(true);
                } catch (e) {
                  setError(describeError(e));
                }
              })}
            >
              <Stack>
                <TextInput label="Email" type="email" autoComplete="username" {...form.getInputProps('email')} />
                <Button type="submit" loading={form.submitting}>
                  Email me a link
                </Button>
              </Stack>
            </form>
          )}
          <Anchor component={Link} to="/portal/sign-in" size="sm">
            Back to sign-in
          </Anchor>
        </Stack>
      </Paper>
    </Center>
  );
}
