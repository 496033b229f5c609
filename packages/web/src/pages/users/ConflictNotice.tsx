/** What a stale edit shows: who won, which of my changes collide, and the two ways forward. */
import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import type { Collision } from '../../lib/user-changes.ts';

export function ConflictNotice({ collisions, onReload, onKeepMine }: { collisions: Collision[]; onReload: () => void; onKeepMine: () => void }) {
  return (
    <Alert color="orange" role="alert" title="Someone else changed this user while you were editing">
      <Stack gap="xs">
        <Text size="sm">
          Your changes were not saved. {collisions.length > 0 ? 'These fields were changed by both of you:' : 'They changed other fields than you did; nothing of yours collides.'}
        </Text>
        {collisions.length > 0 && (
          <Table withTableBorder fz="sm" aria-label="Conflicting fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Saved now</Table.Th>
                <Table.Th>Yours</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {collisions.map((c) => (
                <Table.Tr key={c.field}>
                  <Table.Td>{c.label}</Table.Td>
                  <Table.Td>{c.theirs || '—'}</Table.Td>
                  <Table.Td>{c.mine || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={onReload}>
            Reload their version
          </Button>
          <Button size="xs" color="orange" onClick={onKeepMine}>
            Keep my changes on top of theirs
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          "Keep my changes" puts your edits over the saved version; press Save again to store them.
        </Text>
      </Stack>
    </Alert>
  );
}
