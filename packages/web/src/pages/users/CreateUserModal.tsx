/** "Add user": the user fields in a modal; field errors from the API appear on their inputs. */
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client.ts';
import { describeError, fieldErrors } from '../../api/errors.ts';
import type { CreateUserBody } from '../../api/types.ts';
import { createBody, toFormErrors, toFormValues } from '../../lib/user-changes.ts';
import { UserFields } from './UserFields.tsx';
import { useAttributes } from './use-attributes.ts';

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const attributes = useAttributes();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: toFormValues(null, attributes.keys), validate: { fields: { email: (v) => (v.trim() ? null : 'Enter an email address') } } });

  return (
    <Modal opened={opened} onClose={onClose} title="Add user" size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            const user = await unwrap(api.POST('/api/users', { body: createBody(values, attributes.types) as CreateUserBody }));
            await qc.invalidateQueries({ queryKey: ['users'] });
            notifications.show({ color: 'green', message: `${user.displayName} added.` });
            form.reset();
            onClose();
            void navigate(`/users/${user.id}`);
          } catch (e) {
            form.setErrors(toFormErrors(fieldErrors(e)));
            setError(describeError(e));
          }
        })}
      >
        <Stack>
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <UserFields form={form} attributes={attributes.items} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
