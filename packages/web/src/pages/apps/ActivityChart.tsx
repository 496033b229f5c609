/**
 * Provisioning actions over time on the application Overview: created / updated / suspended /
 * deleted / failed per hour or per day (GET …/provisioning/activity, counted in SQL), with a range
 * picker, the range's totals in the legend, and the same numbers as a table under "Show numbers"
 * (for screen readers, and for whoever prefers to read).
 */
import { BarChart } from '@mantine/charts';
import { Button, Card, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client.ts';
import { ErrorState, LoadingState } from '../../components/states.tsx';
import { appKeys } from './app-api.ts';

export const activitySeries = [
  { name: 'created', label: 'Created', color: 'teal.6' },
  { name: 'updated', label: 'Updated', color: 'blue.6' },
  { name: 'suspended', label: 'Suspended', color: 'yellow.6' },
  { name: 'deleted', label: 'Deleted', color: 'gray.6' },
  { name: 'failed', label: 'Failed', color: 'red.6' },
] as const;

const ranges = {
  '24h': { label: '24 hours', hours: 24, buckets: ['hour'] },
  '7d': { label: '7 days', hours: 7 * 24, buckets: ['hour', 'day'] },
  '30d': { label: '30 days', hours: 30 * 24, buckets: ['day'] },
} as const;
type Range = keyof typeof ranges;
type Bucket = 'hour' | 'day';

/** How a bucket's start reads on the axis: the hour for hourly bars, the date for daily ones (local time). */
export function bucketLabel(iso: string, bucket: Bucket): string {
  const d = new Date(iso);
  return bucket === 'hour' ? d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function ActivityChart({ appId }: { appId: string }) {
  const [range, setRange] = useState<Range>('24h');
  const [bucket, setBucket] = useState<Bucket>('hour');
  const [showNumbers, setShowNumbers] = useState(false);
  const allowed: readonly Bucket[] = ranges[range].buckets;
  const effective: Bucket = allowed.includes(bucket) ? bucket : allowed[0]!;
  const activity = useQuery({
    queryKey: [...appKeys.app(appId), 'activity', range, effective],
    queryFn: () => {
      const to = new Date();
      const from = new Date(to.getTime() - ranges[range].hours * 3_600_000);
      return unwrap(api.GET('/api/apps/{id}/provisioning/activity', { params: { path: { id: appId }, query: { from: from.toISOString(), to: to.toISOString(), bucket: effective } } }));
    },
    refetchInterval: 30_000,
  });
  const a = activity.data;
  const data = (a?.points ?? []).map((p) => ({ ...p, label: bucketLabel(p.at, a!.bucket) }));

  return (
    <Card withBorder aria-label="Provisioning activity">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>Provisioning activity</Text>
          <Group gap="xs">
            <SegmentedControl size="xs" aria-label="Range" value={range} onChange={(v) => setRange(v as Range)} data={Object.entries(ranges).map(([value, r]) => ({ value, label: r.label }))} />
            <SegmentedControl
              size="xs"
              aria-label="Bars per"
              value={effective}
              onChange={(v) => setBucket(v as Bucket)}
              data={[
                { value: 'hour', label: 'Per hour', disabled: !allowed.includes('hour') },
                { value: 'day', label: 'Per day', disabled: !allowed.includes('day') },
              ]}
            />
          </Group>
        </Group>
        {activity.isLoading && <LoadingState label="Loading the activity" />}
        {activity.error && <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />}
        {a && (
          <>
            <Group gap="md" data-testid="activity-totals">
              {activitySeries.map((s) => (
                <Text key={s.name} size="sm" data-series={s.name}>
                  <Text span c={s.color} fw={700} aria-hidden>
                    ■
                  </Text>{' '}
                  {s.label}: <b>{a.totals[s.name]}</b>
                </Text>
              ))}
            </Group>
            <BarChart h={220} data={data} dataKey="label" type="stacked" series={activitySeries.map((s) => ({ ...s }))} tickLine="y" withLegend={false} data-testid="activity-chart" />
            <Group>
              <Button size="compact-xs" variant="subtle" onClick={() => setShowNumbers(!showNumbers)}>
                {showNumbers ? 'Hide numbers' : 'Show numbers'}
              </Button>
            </Group>
            {showNumbers && (
              <Table aria-label="Provisioning activity numbers" striped fz="xs">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{a.bucket === 'hour' ? 'Hour' : 'Day'}</Table.Th>
                    {activitySeries.map((s) => (
                      <Table.Th key={s.name}>{s.label}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((p) => (
                    <Table.Tr key={p.at} data-at={p.at}>
                      <Table.Td>{p.label}</Table.Td>
                      {activitySeries.map((s) => (
                        <Table.Td key={s.name}>{p[s.name]}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}
