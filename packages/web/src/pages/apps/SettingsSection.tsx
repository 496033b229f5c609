/**
 * Scope and operations (guide B steps 6, 9, 12): who is provisioned (assigned only, or everyone),
 * group provisioning, the cycle interval, the failure notification email, and the deletion
 * threshold that holds back a cycle deleting more than expected.
 */
import { Button, Card, Checkbox, Group, NumberInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { fieldErrors } from '../../api/errors.ts';
import type { ConfigView } from './app-api.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { useSaveSettings } from './use-save-settings.ts';

export function SettingsSection({ config, mayManage }: { config: ConfigView; mayManage: boolean }) {
  const s = config.settings;
  const form = useForm({
    initialValues: {
      scope: s.scope,
      provisionGroups: s.provisionGroups,
      cycleIntervalMinutes: s.cycleIntervalMinutes,
      notificationEmail: s.notificationEmail ?? '',
      sendFailureEmails: s.sendFailureEmails,
      thresholdEnabled: s.deletionThreshold.enabled,
      thresholdCount: s.deletionThreshold.count ?? '',
      thresholdPercent: s.deletionThreshold.percent ?? '',
    },
  });
  const save = useSaveSettings(config, 'Settings');
  const errors = fieldErrors(save.error, 'body.settings.');
  const v = form.values;
  const num = (x: number | string) => (x === '' ? null : Number(x));

  return (
    <Card withBorder aria-label="Scope and notifications">
      <form
        onSubmit={form.onSubmit(() =>
          save.mutate({
            scope: v.scope,
            provisionGroups: v.provisionGroups,
            cycleIntervalMinutes: Number(v.cycleIntervalMinutes),
            notificationEmail: v.notificationEmail.trim() || null,
            sendFailureEmails: v.sendFailureEmails,
            deletionThreshold: { enabled: v.thresholdEnabled, count: num(v.thresholdCount), percent: num(v.thresholdPercent) },
          }),
        )}
      >
        <Stack>
          <Text fw={600}>Scope and notifications</Text>
          <Radio.Group label="Scope" description="Which users and groups are provisioned." {...form.getInputProps('scope')} error={errors['scope']}>
            <Group mt={4}>
              <Radio value="assigned" label="Only assigned users and groups" disabled={!mayManage} />
              <Radio value="all" label="All users and groups" disabled={!mayManage} />
            </Group>
          </Radio.Group>
          <Checkbox label="Provision groups" description="Assigned groups become Zendesk groups; only agents can be members." {...form.getInputProps('provisionGroups', { type: 'checkbox' })} disabled={!mayManage} />
          <NumberInput label="Cycle interval (minutes)" description="Full cycles repair drift; directory changes are pushed within seconds anyway." min={1} {...form.getInputProps('cycleIntervalMinutes')} error={errors['cycleIntervalMinutes']} disabled={!mayManage} maw={260} />
          <TextInput label="Notification email" description="Who hears about provisioning failures." {...form.getInputProps('notificationEmail')} error={errors['notificationEmail']} disabled={!mayManage} maw={400} />
          <Checkbox label="Send an email when a failure occurs" {...form.getInputProps('sendFailureEmails', { type: 'checkbox' })} disabled={!mayManage} />
          <Checkbox label="Deletion threshold" description="Hold a cycle back for approval when it would delete more accounts than this." {...form.getInputProps('thresholdEnabled', { type: 'checkbox' })} disabled={!mayManage} />
          {v.thresholdEnabled && (
            <Group>
              <NumberInput label="At most this many deletions" min={1} {...form.getInputProps('thresholdCount')} error={errors['deletionThreshold.count']} disabled={!mayManage} maw={220} />
              <NumberInput label="or this percent of accounts" min={1} max={100} {...form.getInputProps('thresholdPercent')} error={errors['deletionThreshold.percent']} disabled={!mayManage} maw={220} />
            </Group>
          )}
          {save.conflict && <ConflictAlert onReload={() => void save.reload()} />}
          {mayManage && (
            <Group>
              <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
                Save settings
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}
