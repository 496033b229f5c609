/** The message every Provisioning section shows when its save met a newer version (409 version_conflict). */
import { Alert, Button, Text } from '@mantine/core';

export function ConflictAlert({ onReload }: { onReload: () => void }) {
  return (
    <Alert color="orange" title="Changed by someone else" role="alert">
      <Text size="sm">These settings changed since this page loaded, so your change was not saved. Reload to see the current settings, then make your change again.</Text>
      <Button size="xs" mt="xs" variant="light" color="orange" onClick={onReload}>
        Reload settings
      </Button>
    </Alert>
  );
}
