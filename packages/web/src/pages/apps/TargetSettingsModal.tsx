/**
 * Changing the settings that name an application's target account (e.g. a subdomain).
 * While the application is connected the server refuses the move (409 connected_target_change): the
 * old account's credentials and links would act on it under the new name. The modal then asks the
 * admin to confirm "disconnect and move", which resends the change with `disconnect: true`.
 */
import { Alert, Button, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError, fieldErrors } from '../../api/errors.ts';
import { type AppView, appKeys, useGallery } from './app-api.ts';

export function TargetSettingsModal({ app, onClose }: { app: AppView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const entry = useGallery().data?.items.find((g) => g.key === app.type);
  const fields = entry?.settings ?? [];
  const form = useForm({ initialValues: Object.fromEntries(fields.map((s) => [s.key, String(app.settings[s.key] ?? '')])) as Record<string, string> });
  const [confirming, setConfirming] = useState(false);

  const save = useMutation({
    mutationFn: (disconnect: boolean) =>
      unwrap(api.PATCH('/api/apps/{id}', { params: { path: { id: app.id } }, headers: ifMatch(app.version), body: { settings: form.values, ...(disconnect ? { disconnect: true } : {}) } })),
    onSuccess: async (_saved, disconnect) => {
      await queryClient.invalidateQueries({ queryKey: appKeys.app(app.id) });
      await queryClient.invalidateQueries({ queryKey: appKeys.config(app.id) });
      notifications.show({ color: 'green', message: disconnect ? 'Moved to the new account and disconnected: connect it, then switch provisioning on.' : 'Application settings saved.' });
      onClose();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'connected_target_change') setConfirming(true);
      else form.setErrors(fieldErrors(e, 'body.settings.'));
    },
  });
  const refused = save.error instanceof ApiError && save.error.code === 'connected_target_change';

  return (
    <Modal opened onClose={onClose} title="Application settings">
      <form onSubmit={form.onSubmit(() => save.mutate(false))}>
        <Stack>
          {fields.map((s) => (
            <TextInput key={s.key} label={s.label} description={s.description} required={s.required} disabled={confirming} {...form.getInputProps(s.key)} />
          ))}
          {confirming && (
            <Alert color="red" title="Disconnect from the current account?" role="alert">
              <Text size="sm">This application is connected to its current account. Moving it disconnects it, in one step:</Text>
              <List size="sm" mt={4}>
                <List.Item>provisioning is switched off;</List.Item>
                <List.Item>the stored credentials are deleted;</List.Item>
                <List.Item>the links to accounts there are forgotten, with pending plans, escrow and open imports.</List.Item>
              </List>
              <Text size="sm" mt={4}>
                Nothing is changed in the old account. Connect the new account afterwards; its first cycle matches existing accounts before creating any.
              </Text>
            </Alert>
          )}
          {save.error && !refused && Object.keys(fieldErrors(save.error, 'body.settings.')).length === 0 && (
            <Text c="red" size="sm" role="alert">
              {describeError(save.error)}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            {confirming ? (
              <Button color="red" loading={save.isPending} onClick={() => save.mutate(true)}>
                Disconnect and move
              </Button>
            ) : (
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
