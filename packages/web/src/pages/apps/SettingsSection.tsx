/**
 * Scope and operations (guide B steps 6, 9, 12): who is provisioned (assigned only, or everyone),
 * group provisioning, the cycle interval, the failure notification email, the deletion threshold
 * that holds back a cycle deleting more than expected, and "Approve every cycle" (requireApproval).
 * The guided setup shows it in two parts — `scope` and `notifications` — each saving only its own
 * fields; without `part` every field is shown and saved together.
 */
import { Button, Card, Checkbox, Group, NumberInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { fieldErrors } from '../../api/errors.ts';
import { useReportDirty } from '../../components/UnsavedChanges.tsx';
import { type ConfigView, useTypeName } from './app-api.ts';
import { ConflictAlert } from './ConflictAlert.tsx';
import { type SectionProps, saveThenNext } from './flow-step.ts';
import { type SettingsPatch, useSaveSettings } from './use-save-settings.ts';

export type SettingsPart = 'scope' | 'notifications';

const titles: Record<SettingsPart | 'all', string> = { all: 'Scope and notifications', scope: 'Scope', notifications: 'Notifications and safeguards' };

export function SettingsSection({ config, mayManage, part, flow, onDirtyChange }: { config: ConfigView; mayManage: boolean; part?: SettingsPart } & SectionProps) {
  const target = useTypeName(config.type);
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
      requireApproval: s.requireApproval,
    },
  });
  const save = useSaveSettings(config, titles[part ?? 'all']);
  const errors = fieldErrors(save.error, 'body.settings.');
  const v = form.values;
  const num = (x: number | string) => (x === '' ? null : Number(x));
  const dirty = form.isDirty();
  useReportDirty(dirty, onDirtyChange);
  const showScope = part !== 'notifications';
  const showNotifications = part !== 'scope';

  const patch = (): SettingsPatch => ({
    ...(showScope ? { scope: v.scope, provisionGroups: v.provisionGroups } : {}),
    ...(showNotifications
      ? {
          cycleIntervalMinutes: Number(v.cycleIntervalMinutes),
          notificationEmail: v.notificationEmail.trim() || null,
          sendFailureEmails: v.sendFailureEmails,
          deletionThreshold: { enabled: v.thresholdEnabled, count: num(v.thresholdCount), percent: num(v.thresholdPercent) },
          requireApproval: v.requireApproval,
        }
      : {}),
  });

  return (
    <Card withBorder aria-label={titles[part ?? 'all']}>
      <form onSubmit={form.onSubmit(() => (flow ? void saveThenNext(dirty, () => save.mutateAsync(patch()), flow) : save.mutate(patch())))}>
        <Stack>
          <Text fw={600}>{titles[part ?? 'all']}</Text>
          {showScope && (
            <>
              <Radio.Group label="Scope" description="Which users and groups are provisioned." {...form.getInputProps('scope')} error={errors['scope']}>
                <Group mt={4}>
                  <Radio value="assigned" label="Only assigned users and groups" disabled={!mayManage} />
                  <Radio value="all" label="All users and groups" disabled={!mayManage} />
                </Group>
              </Radio.Group>
              <Checkbox label="Provision groups" description={`Assigned groups become ${target} groups; only the roles ${target} allows in groups can be members.`} {...form.getInputProps('provisionGroups', { type: 'checkbox' })} disabled={!mayManage} />
            </>
          )}
          {showNotifications && (
            <>
              <TextInput label="Notification email" description="Who hears about provisioning failures." {...form.getInputProps('notificationEmail')} error={errors['notificationEmail']} disabled={!mayManage} maw={400} />
              <Checkbox label="Send an email when a failure occurs" {...form.getInputProps('sendFailureEmails', { type: 'checkbox' })} disabled={!mayManage} />
              <NumberInput label="Cycle interval (minutes)" description="Full cycles repair drift; directory changes are pushed within seconds anyway." min={1} {...form.getInputProps('cycleIntervalMinutes')} error={errors['cycleIntervalMinutes']} disabled={!mayManage} maw={260} />
              <Checkbox label="Deletion threshold" description="Hold a cycle back for approval when it would delete more accounts than this." {...form.getInputProps('thresholdEnabled', { type: 'checkbox' })} disabled={!mayManage} />
              {v.thresholdEnabled && (
                <Group>
                  <NumberInput label="At most this many deletions" min={1} {...form.getInputProps('thresholdCount')} error={errors['deletionThreshold.count']} disabled={!mayManage} maw={220} />
                  <NumberInput label="or this percent of accounts" min={1} max={100} {...form.getInputProps('thresholdPercent')} error={errors['deletionThreshold.percent']} disabled={!mayManage} maw={220} />
                </Group>
              )}
              <Checkbox
                label="Approve every cycle"
                description="Each full cycle prepares a plan and applies nothing until an admin approves it (initial, periodic and on-demand cycles; the plan waits under Provisioning → Plans)."
                {...form.getInputProps('requireApproval', { type: 'checkbox' })}
                error={errors['requireApproval']}
                disabled={!mayManage}
              />
            </>
          )}
          {save.conflict && <ConflictAlert onReload={() => void save.reload()} />}
          {mayManage && (
            <Group>
              {flow ? (
                <Button type="submit" loading={save.isPending}>
                  Save and next
                </Button>
              ) : (
                <Button type="submit" loading={save.isPending} disabled={!dirty}>
                  {part ? `Save ${titles[part].toLowerCase()}` : 'Save settings'}
                </Button>
              )}
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}
