/** The organisation's sign-in policy for directory users: a second factor required or optional. */
import { Alert, Card, Stack, Switch, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { describeError } from '../../api/errors.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorState, LoadingState } from '../../components/states.tsx';

export function SignInPolicyPage() {
  const qc = useQueryClient();
  const policy = useQuery({ queryKey: ['sign-in-policy'], queryFn: () => unwrap(api.GET('/api/settings/sign-in')) });
  const save = useMutation({
    mutationFn: (body: { mfaRequired: boolean; version: number }) => unwrap(api.PUT('/api/settings/sign-in', { body })),
    onSuccess: (p) => {
      qc.setQueryData(['sign-in-policy'], p);
      notifications.show({ color: 'green', message: p.mfaRequired ? 'A second factor is now required' : 'A second factor is now optional' });
    },
    onError: (e) => notifications.show({ color: 'red', message: describeError(e) }),
  });
  return (
    <Stack>
      <PageHeader title="Sign-in policy" />
      {policy.isPending && <LoadingState />}
      {policy.isError && <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />}
      {policy.data && (
        <Card withBorder>
          <Stack>
            <Switch
              label="Require a second factor (passkey or authenticator app) for directory users"
              checked={policy.data.mfaRequired}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ mfaRequired: e.currentTarget.checked, version: policy.data.version })}
            />
            <Text size="sm" c="dimmed">
              When required, a user without a second factor must set one up right after their password, before My Apps or any single sign-on. A passkey sign-in always counts as two factors.
            </Text>
            <Alert color="blue">Sessions that signed in with a password only stop opening applications at once; those users are asked to set up a second factor.</Alert>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
