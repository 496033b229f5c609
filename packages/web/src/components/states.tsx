/** Shared empty, loading, error, forbidden and not-found states, so every page says the same thing the same way. */
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { describeError, errorDetails } from '../api/errors.ts';

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl">
      <Loader aria-label={label} />
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <Alert color="red" role="alert" title="Could not load this page" my="md">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{describeError(error)}</Text>
        <ErrorDetails error={error} />
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** The code and request id of a failure, folded away under "Details" for support. */
export function ErrorDetails({ error }: { error: unknown }) {
  const details = errorDetails(error);
  if (!details) return null;
  return (
    <details>
      <summary style={{ cursor: 'pointer', fontSize: 'var(--mantine-font-size-xs)' }}>Details</summary>
      <Text size="xs" c="dimmed">
        {details}
      </Text>
    </details>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" gap={4} py="xl">
      <Text fw={600}>{title}</Text>
      {children && (
        <Text size="sm" c="dimmed" ta="center">
          {children}
        </Text>
      )}
    </Stack>
  );
}

export function ForbiddenState() {
  return (
    <Alert color="yellow" title="Not allowed" my="md">
      Your admin account lacks the permission this page needs. An Organization Owner can grant it under Admins.
    </Alert>
  );
}

export function NotFoundState() {
  return (
    <Stack align="flex-start" my="md">
      <Alert color="gray" title="Page not found">
        There is no page at this address.
      </Alert>
      <Button component={Link} to="/users" variant="light">
        Go to Users
      </Button>
    </Stack>
  );
}
