import { z } from 'zod';
import { fail, problems, type ValidationDetails } from '../http/errors.ts';
import { noContent, ok, type RequestContext, type RouteDef } from '../http/route.ts';
import { isoNow } from '../store/ids.ts';
import type { UserFieldRecord } from '../store/user-fields.ts';
import { wrapped } from '../store/user-input.ts';
import { views } from '../views/resource-views.ts';
import { idParam } from './helpers.ts';

const read = { access: 'read' } as const;
const write = { access: 'write' } as const;

const TYPES = ['text', 'textarea', 'checkbox', 'date', 'integer', 'decimal', 'regexp', 'dropdown', 'multiselect'] as const;
const optionSchema = z.looseObject({ id: z.number().int().optional(), name: z.string(), value: z.string() });
const fieldInputSchema = z.looseObject({
  key: z.string().optional(),
  type: z.string().optional(),
  title: z.string().optional(),
  description: z.string().nullable().optional(),
  position: z.number().int().optional(),
  active: z.boolean().optional(),
  regexp_for_validation: z.string().nullable().optional(),
  custom_field_options: z.array(optionSchema).optional(),
});
type FieldInput = z.infer<typeof fieldInputSchema>;
const KNOWN = new Set(Object.keys(fieldInputSchema.shape));

function fieldBody(ctx: RequestContext): FieldInput {
  const w = wrapped(ctx.body, 'user_field');
  if (!w.ok) fail(w.problem);
  const parsed = fieldInputSchema.safeParse(w.value);
  if (!parsed.success) fail(problems.invalidAttribute(`You passed an invalid value for the user_field.${parsed.error.issues[0]?.path.join('.') ?? ''} attribute.`));
  ctx.warnings.push(...Object.keys(parsed.data).filter((k) => !KNOWN.has(k)).map((k) => `user_field.${k}`));
  return parsed.data;
}

function field(ctx: RequestContext): UserFieldRecord {
  const id = idParam(ctx, 'id');
  const found = ctx.account.userFields.find((f) => f.id === id);
  if (!found) fail(problems.recordNotFound());
  return found;
}

function invalid(details: ValidationDetails, name: string, description: string, error: string): void {
  (details[name] ??= []).push({ description, error });
}

/** Options with ids: kept when the caller names an existing one, new ids otherwise. */
function options(ctx: RequestContext, input: NonNullable<FieldInput['custom_field_options']>, current: UserFieldRecord['options']) {
  return input.map((o) => ({ id: current.find((c) => c.id === o.id || c.value === o.value)?.id ?? ctx.account.ids.take(), name: o.name, value: o.value }));
}

/**
 * User fields (API-NOTES §9): list and show for agents; create, update and delete for admins.
 * `key` and `type` are fixed once created. Deleting a field drops its values from every user.
 */
export const userFieldRoutes: RouteDef[] = [
  {
    method: 'GET', path: '/api/v2/user_fields', access: 'agent', scope: read, controller: 'user_fields', action: 'index',
    handler: (ctx) => {
      const fields = [...ctx.account.userFields].sort((a, b) => a.position - b.position || a.id - b.id);
      return ok({ user_fields: fields.map((f) => views.userField(f, ctx.base)), next_page: null, previous_page: null, count: fields.length });
    },
  },
  {
    method: 'GET', path: '/api/v2/user_fields/:id', access: 'agent', scope: read, controller: 'user_fields', action: 'show',
    handler: (ctx) => ok({ user_field: views.userField(field(ctx), ctx.base) }),
  },
  {
    method: 'POST', path: '/api/v2/user_fields', access: 'admin', scope: write, controller: 'user_fields', action: 'create',
    handler: (ctx) => {
      const input = fieldBody(ctx);
      const details: ValidationDetails = {};
      const type = input.type ?? 'text';
      if (!(TYPES as readonly string[]).includes(type)) invalid(details, 'type', `Type: ${type} is not a valid field type`, 'InvalidValue');
      if (!input.title?.trim()) invalid(details, 'title', 'Title: cannot be blank', 'BlankValue');
      if (!input.key?.trim()) invalid(details, 'key', 'Key: cannot be blank', 'BlankValue');
      else if (!/^[A-Za-z0-9_]+$/.test(input.key)) invalid(details, 'key', 'Key: may only contain letters, digits and underscores', 'InvalidValue');
      else if (ctx.account.userFields.some((f) => f.key.toLowerCase() === input.key?.toLowerCase())) invalid(details, 'key', 'Key: has already been taken', 'DuplicateValue');
      if ((type === 'dropdown' || type === 'multiselect') && !input.custom_field_options?.length) {
        invalid(details, 'custom_field_options', 'Field options: a dropdown needs at least one option', 'BlankValue');
      }
      if (Object.keys(details).length > 0) fail(problems.recordInvalid(details));
      const now = isoNow();
      const record: UserFieldRecord = {
        id: ctx.account.ids.take(),
        key: input.key as string,
        type: type as UserFieldRecord['type'],
        title: (input.title as string).trim(),
        description: input.description ?? '',
        position: input.position ?? 9999,
        active: input.active ?? true,
        regexpForValidation: input.regexp_for_validation ?? null,
        options: [],
        createdAt: now,
        updatedAt: now,
      };
      record.options = options(ctx, input.custom_field_options ?? [], []);
      ctx.account.userFields.push(record);
      ctx.account.changes.put('field', record.id, record);
      return ok({ user_field: views.userField(record, ctx.base) }, 201, { location: `${ctx.base}/api/v2/user_fields/${record.id}.json` });
    },
  },
  {
    method: 'PUT', path: '/api/v2/user_fields/:id', access: 'admin', scope: write, controller: 'user_fields', action: 'update',
    handler: (ctx) => {
      const record = field(ctx);
      const input = fieldBody(ctx);
      const details: ValidationDetails = {};
      if (input.title !== undefined && !input.title.trim()) invalid(details, 'title', 'Title: cannot be blank', 'BlankValue');
      if (input.type !== undefined && input.type !== record.type) invalid(details, 'type', 'Type: cannot be changed', 'InvalidValue');
      if (input.key !== undefined && input.key !== record.key) invalid(details, 'key', 'Key: cannot be changed', 'InvalidValue');
      if (Object.keys(details).length > 0) fail(problems.recordInvalid(details));
      if (input.title !== undefined) record.title = input.title.trim();
      if (input.description !== undefined) record.description = input.description ?? '';
      if (input.position !== undefined) record.position = input.position;
      if (input.active !== undefined) record.active = input.active;
      if (input.regexp_for_validation !== undefined) record.regexpForValidation = input.regexp_for_validation;
      if (input.custom_field_options !== undefined) record.options = options(ctx, input.custom_field_options, record.options);
      record.updatedAt = isoNow();
      ctx.account.changes.put('field', record.id, record);
      return ok({ user_field: views.userField(record, ctx.base) });
    },
  },
  {
    method: 'DELETE', path: '/api/v2/user_fields/:id', access: 'admin', scope: write, controller: 'user_fields', action: 'destroy',
    handler: (ctx) => {
      const record = field(ctx);
      const fields = ctx.account.userFields;
      fields.splice(fields.indexOf(record), 1);
      ctx.account.changes.gone('field', record.id);
      for (const u of ctx.account.users.ordered) {
        if (!(record.key in u.userFields)) continue;
        const { [record.key]: _dropped, ...rest } = u.userFields;
        u.userFields = rest;
        ctx.account.users.touch(u);
      }
      return noContent();
    },
  },
];
