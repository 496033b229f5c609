/**
 * "Add user": the user fields in a modal; field errors from the API appear on their inputs.
 * **Add user** opens the new user's page; **Add and add another** keeps the modal open, emptied,
 * and says who was just added.
 */
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
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
  const [added, setAdded] = useState<{ id: string; name: string }[]>([]);
  const another = useRef(false);
  const close = () => {
    setAdded([]);
    onClose();
  };
  const form = useForm({ initialValues: toFormValues(null, attributes.keys), validate: { fields: { email: (v) => (v.trim() ? null : 'Enter an email address') } } });

  return (
    <Modal opened={opened} onClose={close} title="Add user" size="lg">
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            const user = await unwrap(api.POST('/api/users', { body: createBody(values, attributes.types) as CreateUserBody }));
            await qc.invalidateQueries({ queryKey: ['users'] });
            notifications.show({ color: 'green', message: `${user.displayName} added.` });
            form.reset();
            if (another.current) {
              setAdded((a) => [...a, { id: user.id, name: user.displayName }]);
              return;
            }
            close();
            void navigate(`/users/${user.id}`);
          } catch (e) {
            form.setErrors(toFormErrors(fieldErrors(e)));
            setError(describeError(e));
          }
        })}
      >
        <Stack>
          {added.length > 0 && (
            <Alert color="green" data-testid="added-users">
              Added: {added.map((u) => u.name).join(', ')}. Fill in the next one, or close.
            </Alert>
          )}
          {error && (
            <Alert color="red" role="alert">
              {error}
            </Alert>
          )}
          <UserFields form={form} attributes={attributes.items} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {added.length > 0 ? 'Close' : 'Cancel'}
            </Button>
            <Button type="submit" variant="light" loading={form.submitting && another.current} onClick={() => (another.current = true)}>
              Add and add another
            </Button>
            <Button type="submit" loading={form.submitting && !another.current} onClick={() => (another.current = false)}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
