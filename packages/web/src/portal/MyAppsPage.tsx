/** My Apps (/portal): the applications assigned to the signed-in user; each opens through Roster's IdP-initiated sign-in. */
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Navigate } from 'react-router';
import { unwrap } from '../api/client.ts';
import { ErrorState, LoadingState } from '../components/states.tsx';
import { portalApi } from './portal-client.ts';
import { usePortalSession } from './portal-session.ts';

export function MyAppsPage() {
  const { state, loading } = usePortalSession();
  const full = state?.stage === 'full';
  const apps = useQuery({ queryKey: ['portal-apps'], queryFn: () => unwrap(portalApi.GET('/portal/api/apps')), enabled: full });
  if (loading) return <LoadingState />;
  if (!state) return <Navigate to="/portal/sign-in" replace />;
  if (state.stage === 'enrol') return <Navigate to="/portal/security?return_to=%2Fportal" replace />;
  if (!full) return <Navigate to="/portal/sign-in" replace />;
  return (
    <Stack>
      <Title order={1} size="h2">
        My Apps
      </Title>
      <Text c="dimmed">Hello {state.user.displayName}</Text>
      {apps.isPending && <LoadingState />}
      {apps.isError && <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />}
      {apps.data?.items.length === 0 && <Text>No application is assigned to you yet.</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
        {apps.data?.items.map((a) => (
          <Card key={a.id} withBorder data-testid="my-app">
            <Group justify="space-between">
              <Anchor href={a.startUrl} fw={600}>
                {a.displayName}
              </Anchor>
              <Text size="xs" c="dimmed">
                {a.roleLabel}
              </Text>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
