/** The inputs of a user (built-in fields and custom attributes), shared by the create modal and the user page. */
import { Checkbox, Select, SimpleGrid, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { type UserFormValues, userFieldLabels, userFormFields } from '../../lib/user-changes.ts';
import type { Attribute } from './use-attributes.ts';

export function UserFields({ form, attributes, disabled }: { form: UseFormReturnType<UserFormValues>; attributes: Attribute[]; disabled?: boolean }) {
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        {userFormFields.map((f) => (
          <TextInput
            key={f}
            label={userFieldLabels[f]}
            required={f === 'email'}
            type={f === 'email' ? 'email' : 'text'}
            disabled={disabled === true}
            {...form.getInputProps(`fields.${f}`)}
          />
        ))}
      </SimpleGrid>
      {attributes.length > 0 && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="sm">
          {attributes.map((a) => {
            const props = form.getInputProps(`custom.${a.key}`);
            const error = form.errors[`custom.${a.key}`];
            const label = a.label;
            if (a.type === 'boolean') {
              return (
                <Checkbox
                  key={a.key}
                  mt="lg"
                  label={label}
                  disabled={disabled === true}
                  checked={props.value === 'true'}
                  onChange={(e) => form.setFieldValue(`custom.${a.key}`, e.currentTarget.checked ? 'true' : 'false')}
                  error={error}
                />
              );
            }
            if (a.type === 'enum') {
              return <Select key={a.key} label={label} required={a.required} disabled={disabled === true} clearable data={a.enumValues ?? []} {...props} value={props.value || null} onChange={(v) => form.setFieldValue(`custom.${a.key}`, v ?? '')} error={error} />;
            }
            return <TextInput key={a.key} label={label} required={a.required} disabled={disabled === true} type={a.type === 'date' ? 'date' : a.type === 'number' ? 'number' : 'text'} {...props} error={error} />;
          })}
        </SimpleGrid>
      )}
    </>
  );
}
