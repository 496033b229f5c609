/**
 * Saving provisioning settings from any section of the Provisioning tab: PATCH with the version the
 * page read (If-Match). A stale version is a 409 version_conflict, kept as `conflict` so the section
 * can say so and offer a reload instead of overwriting someone else's change.
 */
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { ApiError, describeError } from '../../api/errors.ts';
import type { Body } from '../../api/types.ts';
import { type ConfigView, appKeys } from './app-api.ts';

export type SettingsPatch = Body<'/api/apps/{id}/provisioning', 'patch'>['settings'];

export function useSaveSettings(config: ConfigView, what: string) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (settings: SettingsPatch) =>
      unwrap(api.PATCH('/api/apps/{id}/provisioning', { params: { path: { id: config.applicationId } }, headers: ifMatch(config.version), body: { settings } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(appKeys.config(config.applicationId), saved);
      notifications.show({ color: 'green', message: `${what} saved.` });
    },
    onError: (e) => {
      if (!(e instanceof ApiError && (e.code === 'version_conflict' || e.issues.length > 0))) notifications.show({ color: 'red', title: `${what} not saved`, message: describeError(e) });
    },
  });
  const conflict = mutation.error instanceof ApiError && mutation.error.code === 'version_conflict';
  const reload = async () => {
    mutation.reset();
    await queryClient.invalidateQueries({ queryKey: appKeys.config(config.applicationId) });
  };
  return { ...mutation, conflict, reload };
}
