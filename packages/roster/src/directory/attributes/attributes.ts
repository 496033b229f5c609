/** Custom attribute definitions: list, create, update, delete. Every write is audited and outboxed. */
import { asc, eq, sql } from 'drizzle-orm';
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Db, Executor } from '../../db/database.ts';
import { attributeDefinitions, users } from '../../db/schema.ts';
import { AppError, notFound, versionConflict } from '../../errors/app-error.ts';
import { recordChange } from '../outbox.ts';
import { uniqueViolation } from '../users/db-errors.ts';
import { type AttributeView, type CreateAttributeInput, type UpdateAttributeInput, toAttributeView } from './attribute-schema.ts';
import type { AttributeDefinition } from './custom-values.ts';

export async function listAttributes(executor: Executor): Promise<AttributeView[]> {
  const rows = await executor.select().from(attributeDefinitions).orderBy(asc(attributeDefinitions.key));
  return rows.map(toAttributeView);
}

/** The definitions keyed by attribute key, for validating custom values. */
export async function loadAttributeDefinitions(executor: Executor): Promise<Map<string, AttributeDefinition>> {
  const rows = await executor.select().from(attributeDefinitions);
  return new Map(rows.map((r) => [r.key, { key: r.key, type: r.type, enumValues: r.enumValues ?? null, required: r.required }]));
}

const duplicateKey = (key: string) =>
  new AppError('duplicate', `A custom attribute with key ${key} already exists.`, { issues: [{ path: 'body.key', reason: 'already exists' }] });

export async function createAttribute(db: Db, actor: Principal, input: CreateAttributeInput, requestId?: string): Promise<AttributeView> {
  try {
    return await db.transaction(async (tx) => {
      const existing = await tx.select({ id: attributeDefinitions.id }).from(attributeDefinitions).where(eq(attributeDefinitions.key, input.key));
      if (existing.length > 0) throw duplicateKey(input.key);
      const [row] = await tx
        .insert(attributeDefinitions)
        .values({ key: input.key, label: input.label, type: input.type, enumValues: input.enumValues ?? null, required: input.required ?? false })
        .returning();
      const view = toAttributeView(row!);
      await recordAudit(tx, actor, { action: 'attribute.create', targetType: 'attribute', targetId: view.id, after: view }, requestId);
      await recordChange(tx, { entityType: 'attribute', entityId: view.id, op: 'created', data: { key: view.key } });
      return view;
    });
  } catch (e) {
    if (uniqueViolation(e) !== undefined) throw duplicateKey(input.key);
    throw e;
  }
}

export async function updateAttribute(
  db: Db,
  actor: Principal,
  id: string,
  input: UpdateAttributeInput,
  expectedVersion: number | undefined,
  requestId?: string,
): Promise<AttributeView> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(attributeDefinitions).where(eq(attributeDefinitions.id, id)).for('update');
    if (!current) throw notFound('custom attribute', id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict('custom attribute', id, current.version);
    if (input.enumValues && current.type !== 'enum') {
      throw new AppError('validation_failed', 'body.enumValues: is only allowed for type enum', { issues: [{ path: 'body.enumValues', reason: 'is only allowed for type enum' }] });
    }
    const before = toAttributeView(current);
    const [row] = await tx
      .update(attributeDefinitions)
      .set({
        label: input.label ?? current.label,
        enumValues: input.enumValues ?? current.enumValues,
        required: input.required ?? current.required,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(attributeDefinitions.id, id))
      .returning();
    const after = toAttributeView(row!);
    const fields = (['label', 'enumValues', 'required'] as const).filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
    await recordAudit(tx, actor, { action: 'attribute.update', targetType: 'attribute', targetId: id, before, after }, requestId);
    await recordChange(tx, { entityType: 'attribute', entityId: id, op: 'updated', data: { key: after.key, fields } });
    return after;
  });
}

/** Deletes the definition and removes its values from every user, in one transaction. */
export async function deleteAttribute(db: Db, actor: Principal, id: string, expectedVersion: number | undefined, requestId?: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx.select().from(attributeDefinitions).where(eq(attributeDefinitions.id, id)).for('update');
    if (!current) throw notFound('custom attribute', id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict('custom attribute', id, current.version);
    await tx.delete(attributeDefinitions).where(eq(attributeDefinitions.id, id));
    // Values of a deleted attribute would otherwise linger, unvalidated, in every user; each changed user gets its outbox row.
    await tx.execute(sql`with changed as (
        update ${users} set custom = custom - ${current.key}::text, version = version + 1, updated_at = now()
        where custom ? ${current.key}::text returning id)
      insert into outbox (entity_type, entity_id, op, data)
      select 'user', id::text, 'updated', jsonb_build_object('fields', jsonb_build_array(${`custom.${current.key}`}::text)) from changed order by id`);
    await recordAudit(tx, actor, { action: 'attribute.delete', targetType: 'attribute', targetId: id, before: toAttributeView(current) }, requestId);
    await recordChange(tx, { entityType: 'attribute', entityId: id, op: 'deleted', data: { key: current.key } });
  });
}
