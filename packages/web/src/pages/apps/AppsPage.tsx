/** Applications: the connected target accounts, each opening its application page; Add application opens the gallery. */
import { Anchor, Button, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState, LoadingState } from '../../components/states.tsx';
import { appKeys } from './app-api.ts';

export function AppsPage() {
  const apps = useQuery({ queryKey: appKeys.all, queryFn: () => unwrap(api.GET('/api/apps', { params: { query: { limit: 200 } } })) });
  return (
    <>
      <PageHeader
        title="Applications"
        description="Connected accounts that Roster provisions users and groups into."
        actions={
          <Button component={Link} to="/apps/new">
            Add application
          </Button>
        }
      />
      {apps.isLoading && <LoadingState />}
      {apps.error && <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />}
      {apps.data && apps.data.items.length === 0 && <EmptyState title="No applications yet">Add one from the gallery to start provisioning.</EmptyState>}
      {apps.data && apps.data.items.length > 0 && (
        <Table striped highlightOnHover aria-label="Applications">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Account</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {apps.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/apps/${a.id}`}>
                    {a.displayName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{a.typeName}</Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {a.targetUrl}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
