/** Turns one CSV record into the fields it sets, or the reasons it cannot (pure). */
import { z } from 'zod';
import { updateUserSchema, userStatuses } from '../directory/users/user-fields.ts';
import type { HeaderPlan } from './header-mapping.ts';

/** One problem with one row; `row` is 1-based with the header as row 1. */
export interface RowIssue {
  row: number;
  field?: string;
  reason: string;
}

const rowFieldsSchema = updateUserSchema.omit({ version: true, managerId: true, custom: true }).extend({ status: z.enum(userStatuses).optional() });
export type RowFields = z.infer<typeof rowFieldsSchema>;

export interface PreparedRow {
  row: number;
  fields: RowFields;
  /** Custom values as text; null clears. */
  custom: Record<string, string | null>;
  /** Email or employee id of the manager; null clears; undefined leaves it. */
  manager?: string | null;
}

export type EmptyCells = 'keep' | 'clear';

export function prepareUserRow(row: number, values: readonly string[], plan: HeaderPlan, emptyCells: EmptyCells): { ok: true; value: PreparedRow } | { ok: false; issues: RowIssue[] } {
  if (values.length !== plan.columns.length) {
    return { ok: false, issues: [{ row, reason: `has ${values.length} columns where the header has ${plan.columns.length}` }] };
  }
  const raw: Record<string, string | null> = {};
  const custom: Record<string, string | null> = {};
  let manager: string | null | undefined;
  plan.columns.forEach((target, i) => {
    if (!target) return;
    const cell = values[i] as string;
    if (cell === '' && emptyCells === 'keep') return;
    const value = cell === '' ? null : cell;
    if (target.kind === 'custom') custom[target.key] = value;
    else if (target.field === 'manager') manager = value;
    else if (target.field === 'status') raw['status'] = value === null ? null : value.toLowerCase();
    else raw[target.field] = value;
  });
  const issues: RowIssue[] = [];
  if (raw['email'] === null) issues.push({ row, field: 'email', reason: 'is empty' });
  if (raw['status'] === null) delete raw['status'];
  if (issues.length === 0) {
    const parsed = rowFieldsSchema.safeParse(raw);
    if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => ({ row, field: String(i.path[0] ?? ''), reason: i.message })) };
    const value: PreparedRow = { row, fields: parsed.data, custom };
    if (manager !== undefined) value.manager = manager;
    return { ok: true, value };
  }
  return { ok: false, issues };
}
