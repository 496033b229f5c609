/** Sign in with email and password; returns to the page the admin asked for. */
import { Alert, Button, Center, Paper, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { describeError } from '../api/errors.ts';
import { safeNext } from '../lib/safe-next.ts';
import { useSession, useSessionActions } from './session.tsx';

export function SignInPage() {
  const { admin } = useSession();
  const { signIn } = useSessionActions();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: { email: (v) => (v.trim() ? null : 'Enter your email'), password: (v) => (v ? null : 'Enter your password') },
  });
  const next = safeNext(params.get('next'));
  if (admin) return <Navigate to={next} replace />;

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={380} maw="100%">
        <form
          noValidate
          onSubmit={form.onSubmit(async (v) => {
            setError(null);
            try {
              await signIn(v.email.trim(), v.password);
            } catch (e) {
              setError(describeError(e));
            }
          })}
        >
          <Stack>
            <Title order={1} size="h2">
              Sign in to Roster
            </Title>
            {error && (
              <Alert color="red" role="alert" title="Sign-in failed">
                {error}
              </Alert>
            )}
            <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
            <PasswordInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
            <Button type="submit" loading={form.submitting}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
