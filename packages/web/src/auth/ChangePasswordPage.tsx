/**
 * Shown instead of any page while the admin's password must change (one-time or admin-set
 * password): the API refuses everything else with 403 password_change_required until then.
 */
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { describeError, fieldErrors } from '../api/errors.ts';
import { useSessionActions } from './session.tsx';

export function ChangePasswordPage({ email }: { email: string }) {
  const { changePassword, signOut } = useSessionActions();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirm: '' },
    validate: {
      currentPassword: (v) => (v ? null : 'Enter the one-time password'),
      newPassword: (v) => (v.length >= 12 ? null : 'At least 12 characters'),
      confirm: (v, all) => (v === all.newPassword ? null : 'The passwords differ'),
    },
  });
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={420} maw="100%">
        <form
          noValidate
          onSubmit={form.onSubmit(async (v) => {
            setError(null);
            try {
              await changePassword(v.currentPassword, v.newPassword);
              notifications.show({ color: 'green', message: 'Password changed.' });
            } catch (e) {
              form.setErrors(fieldErrors(e));
              setError(describeError(e));
            }
          })}
        >
          <Stack>
            <Title order={1} size="h2">
              Choose a new password
            </Title>
            <Text size="sm">{email} signed in with a one-time password. Choose your own password (12 characters or more) to continue.</Text>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <PasswordInput label="Current (one-time) password" autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
            <PasswordInput label="New password" autoComplete="new-password" required {...form.getInputProps('newPassword')} />
            <PasswordInput label="Repeat the new password" autoComplete="new-password" required {...form.getInputProps('confirm')} />
            <Button type="submit" loading={form.submitting}>
              Change password
            </Button>
            <Button variant="subtle" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
