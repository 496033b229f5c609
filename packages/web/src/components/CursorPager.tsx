/** Previous / next buttons for cursor-paged lists (no total count: lists can hold 100k rows). */
import { Button, Group, Select, Text } from '@mantine/core';

export function CursorPager(props: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  pageSize?: number;
  pageSizes?: readonly number[];
  onPageSize?: (size: number) => void;
  busy?: boolean;
}) {
  return (
    <Group justify="space-between" mt="sm" gap="xs">
      <Group gap="xs">
        {props.pageSize !== undefined && props.onPageSize && props.pageSizes && (
          <Select
            label="Rows per page"
            size="xs"
            w={120}
            allowDeselect={false}
            data={props.pageSizes.map(String)}
            value={String(props.pageSize)}
            onChange={(v) => v && props.onPageSize?.(Number(v))}
          />
        )}
      </Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          Page {props.page}
        </Text>
        <Button variant="default" size="xs" onClick={props.onPrevious} disabled={props.page <= 1 || props.busy === true}>
          Previous
        </Button>
        <Button variant="default" size="xs" onClick={props.onNext} disabled={!props.hasNext || props.busy === true}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
