/** One provisioning event: what happened to whom, each step, each changed property old → new, and the error with advice. */
import { Alert, Badge, Code, Group, Modal, Stack, Table, Text, Timeline } from '@mantine/core';
import { showChange } from '../../lib/apps/provisioning-view.ts';
import { actionSentence, codeSentence, eventStatusWords, wordFor } from '../../lib/words.ts';
import type { ProvisioningEvent } from './app-api.ts';

export function EventDetailModal({ event: e, roles, onClose }: { event: ProvisioningEvent; roles: readonly { key: string; label: string }[]; onClose: () => void }) {
  return (
    <Modal opened onClose={onClose} title={`${actionSentence(e.action, e.objectType)}: ${e.identity ?? e.targetId ?? ''}`} size="xl">
      <Stack>
        <Group gap="xs">
          <Badge color={e.status === 'success' ? 'green' : e.status === 'failed' ? 'red' : 'gray'}>{wordFor(eventStatusWords, e.status)}</Badge>
          <Text size="sm">{new Date(e.at).toLocaleString()}</Text>
          {e.durationMs !== null && <Text size="sm" c="dimmed">{e.durationMs} ms</Text>}
        </Group>
        <Text size="sm">
          Directory id <Code>{e.directoryId ?? '—'}</Code> · Target id <Code>{e.targetId ?? '—'}</Code>
          {e.cycleId && (
            <>
              {' '}
              · cycle <Code>{e.cycleId}</Code>
            </>
          )}
        </Text>
        {e.errorMessage && (
          <Alert color="red" title={e.errorCode ? codeSentence(e.errorCode) : 'Error'}>
            {e.errorMessage}
            {/* A skip's advice repeats its reason ("Out of scope: …"): said once. */}
            {e.advice && e.advice !== e.errorMessage && <Text size="sm" mt={4}>What to do: {e.advice}</Text>}
            {e.errorCode && (
              <Text size="xs" c="dimmed" mt={4}>
                Details: code <Code>{e.errorCode}</Code>
              </Text>
            )}
          </Alert>
        )}
        <Text fw={600}>Steps</Text>
        <Timeline bulletSize={14} lineWidth={2} active={e.steps.length}>
          {e.steps.map((s, i) => (
            <Timeline.Item key={i} title={`${s.name} — ${s.outcome}`}>
              {s.detail && (
                <Text size="sm" c="dimmed">
                  {s.detail}
                </Text>
              )}
            </Timeline.Item>
          ))}
        </Timeline>
        {e.changes.length > 0 && (
          <>
            <Text fw={600}>Modified properties</Text>
            <Table aria-label="Modified properties">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Property</Table.Th>
                  <Table.Th>Old</Table.Th>
                  <Table.Th>New</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {e.changes.map((c) => (
                  <Table.Tr key={c.property}>
                    <Table.Td>{c.property}</Table.Td>
                    <Table.Td>{showChange(c.property, c.old, roles)}</Table.Td>
                    <Table.Td>{showChange(c.property, c.new, roles)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Stack>
    </Modal>
  );
}
