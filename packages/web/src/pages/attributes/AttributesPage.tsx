/**
 * Custom attributes: fields your organization adds to every user (cost center, badge number…).
 * Defined here, filled on each user's page and by CSV import, mappable to application fields.
 */
import { Badge, Button, Checkbox, Group, Modal, Select, Stack, TagsInput, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { DataTable } from 'mantine-datatable';
import { api, ifMatch, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import type { Body } from '../../api/types.ts';
import { useSession } from '../../auth/session.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EmptyState, ErrorState } from '../../components/states.tsx';
import { type Attribute, useAttributes } from '../users/use-attributes.ts';

export function AttributesPage() {
  const attributes = useAttributes();
  const [adding, { open, close }] = useDisclosure(false);
  const { can } = useSession();
  const qc = useQueryClient();
  const editable = can('manage_users');

  function remove(a: Attribute) {
    modals.openConfirmModal({
      title: `Delete the attribute ${a.label}?`,
      children: <Text size="sm">Every user's value for it is deleted too. Mappings that read it stop getting a value.</Text>,
      labels: { confirm: 'Delete attribute', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        try {
          await unwrap(api.DELETE('/api/attributes/{id}', { params: { path: { id: a.id } }, headers: ifMatch(a.version) }));
          await qc.invalidateQueries({ queryKey: ['attributes'] });
          notifications.show({ color: 'green', message: `Attribute ${a.label} deleted.` });
        } catch (e) {
          notifications.show({ color: 'red', title: 'Not deleted', message: describeError(e) });
        }
      },
    });
  }

  return (
    <>
      <PageHeader title="Custom attributes" description="Fields your organization adds to every user. Fill them on a user's page or by CSV import." actions={editable && <Button onClick={open}>Add attribute</Button>} />
      {attributes.isError ? (
        <ErrorState error={attributes.error} onRetry={() => void attributes.refetch()} />
      ) : (
        <DataTable<Attribute>
          aria-label="Custom attributes"
          withTableBorder
          minHeight={attributes.items.length ? 0 : 160}
          fetching={attributes.isFetching}
          records={attributes.items}
          noRecordsText=""
          emptyState={attributes.isPending ? <span /> : <EmptyState title="No custom attributes yet">Add one to give every user an extra field.</EmptyState>}
          columns={[
            { accessor: 'label' },
            { accessor: 'key', render: (a) => <code>{a.key}</code> },
            { accessor: 'type', render: (a) => <Badge variant="light">{a.type}</Badge> },
            { accessor: 'enumValues', title: 'Values', render: (a) => a.enumValues?.join(', ') ?? '', visibleMediaQuery: (t) => `(min-width: ${t.breakpoints.sm})` },
            { accessor: 'required', render: (a) => (a.required ? 'yes' : 'no') },
            ...(editable
              ? [
                  {
                    accessor: 'actions',
                    title: <VisuallyHidden>Actions</VisuallyHidden>,
                    textAlign: 'right' as const,
                    render: (a: Attribute) => (
                      <Button size="compact-xs" variant="subtle" color="red" aria-label={`Delete ${a.label}`} onClick={() => remove(a)}>
                        Delete
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      <AddAttributeModal opened={adding} onClose={close} />
    </>
  );
}

function AddAttributeModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const form = useForm({
    initialValues: { label: '', key: '', type: 'string', enumValues: [] as string[], required: false },
    validate: { label: (v) => (v.trim() ? null : 'Enter a label'), key: (v) => (/^[a-z][a-zA-Z0-9_]{0,62}$/.test(v) ? null : 'Start with a lower-case letter; letters, digits and _ only') },
  });
  const { type } = form.getValues();
  return (
    <Modal opened={opened} onClose={onClose} title="Add attribute">
      <form
        noValidate
        onSubmit={form.onSubmit(async (v) => {
          try {
            const body = { label: v.label.trim(), key: v.key, type: v.type, required: v.required, ...(v.type === 'enum' ? { enumValues: v.enumValues } : {}) } as Body<'/api/attributes', 'post'>;
            await unwrap(api.POST('/api/attributes', { body }));
            await qc.invalidateQueries({ queryKey: ['attributes'] });
            notifications.show({ color: 'green', message: `Attribute ${v.label.trim()} added.` });
            form.reset();
            onClose();
          } catch (e) {
            const fe = fieldErrors(e);
            form.setErrors(Object.keys(fe).length ? fe : { key: describeError(e) });
          }
        })}
      >
        <Stack>
          <TextInput
            label="Label"
            required
            {...form.getInputProps('label')}
            onChange={(e) => {
              const label = e.currentTarget.value;
              form.setFieldValue('label', label);
              if (!form.isTouched('key')) form.setFieldValue('key', keyFromLabel(label));
            }}
          />
          <TextInput label="Key" description="Used by the API, CSV headers (custom.<key>) and mappings; cannot change later" required {...form.getInputProps('key')} />
          <Select
            label="Type"
            allowDeselect={false}
            data={[
              { value: 'string', label: 'Text' },
              { value: 'number', label: 'Number' },
              { value: 'boolean', label: 'Yes / no' },
              { value: 'date', label: 'Date' },
              { value: 'enum', label: 'One of a list' },
            ]}
            {...form.getInputProps('type')}
          />
          {type === 'enum' && <TagsInput label="Allowed values" placeholder="Type a value, press Enter" {...form.getInputProps('enumValues')} />}
          <Checkbox label="Every user must have a value" {...form.getInputProps('required', { type: 'checkbox' })} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Add attribute
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** "Cost center" → "costCenter". */
function keyFromLabel(label: string): string {
  const words = label.normalize('NFKD').replace(/[^A-Za-z0-9 ]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const key = words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');
  return /^[a-z]/.test(key) ? key.slice(0, 63) : '';
}
