/** A secret the server shows only once (API token, one-time password), with a copy button. */
import { Alert, Code, CopyButton, Button, Group, Text } from '@mantine/core';

export function SecretOnce({ title, value, children }: { title: string; value: string; children?: string }) {
  return (
    <Alert color="yellow" title={title} role="status">
      <Text size="sm" mb="xs">
        {children ?? 'Copy it now: it is shown only once and cannot be read again.'}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code data-testid="secret-value" style={{ wordBreak: 'break-all' }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
