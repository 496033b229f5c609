/**
 * The directory around one chunk of target users, read with one statement per table and matching attribute: the users
 * already linked to these accounts, and the live users whose matching attributes or emails equal
 * theirs. Classification then runs in memory (classify.ts).
 */
import { type SQL, and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { TargetUser } from '../../connectors/contract.ts';
import type { Executor } from '../../db/database.ts';
import { links } from '../../db/provisioning-schema.ts';
import { users } from '../../db/schema.ts';
import { anyOf } from '../../db/any-of.ts';
import type { UserRow } from '../../directory/users/user-fields.ts';
import type { DirectoryView } from './classify.ts';
import { type ImportMapping, directoryValue, isCustom, targetValue } from './import-mapping.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const columns = getTableColumns(users) as unknown as Record<string, SQL.Aliased | Parameters<typeof eq>[0]>;

// Emails and ids (external ids may be case-insensitive in the target) compare ignoring case.
const norm = (attribute: string, value: string): string => (attribute === 'email' || attribute === 'id' ? value.toLowerCase() : value);

function valueOf(row: UserRow, attribute: string): unknown {
  if (isCustom(attribute)) return row.custom[attribute.slice('custom.'.length)];
  return (row as unknown as Record<string, unknown>)[attribute];
}

/** The SQL expression of a directory attribute, compared as text. */
function expressionOf(attribute: string): SQL {
  if (attribute === 'email') return sql`lower(${users.email})`;
  if (attribute === 'id') return sql`${users.id}`;
  if (isCustom(attribute)) return sql`(${users.custom} ->> ${attribute.slice('custom.'.length)})`;
  return sql`${columns[attribute]}`;
}

export async function lookupDirectory(executor: Executor, applicationId: string, mapping: ImportMapping, targets: readonly TargetUser[]): Promise<DirectoryView> {
  const linkRows =
    targets.length === 0
      ? []
      : await executor
          .select({ directoryId: links.directoryId, targetId: links.targetId })
          .from(links)
          .where(and(eq(links.applicationId, applicationId), eq(links.objectType, 'user'), anyOf(sql`${links.targetId}`, targets.map((t) => t.id), 'text')));
  const conditions: SQL[] = [];
  if (linkRows.length) conditions.push(anyOf(sql`${users.id}`, linkRows.map((l) => l.directoryId)));
  const emails = targets.flatMap((t) => (t.email ? [t.email.toLowerCase()] : []));
  if (emails.length) conditions.push(anyOf(expressionOf('email'), emails, 'text'));
  for (const key of mapping.matchKeys) {
    let values = targets.flatMap((t) => {
      const v = directoryValue(targetValue(t, key.target), key.attribute);
      return v === null || v === undefined ? [] : [norm(key.attribute, String(v))];
    });
    if (key.attribute === 'id') values = values.filter((v) => UUID.test(v));
    if (key.attribute === 'email' || values.length === 0) continue;
    conditions.push(key.attribute === 'id' ? anyOf(sql`${users.id}`, values) : anyOf(expressionOf(key.attribute), values, 'text'));
  }
  // One statement per condition, not one `or`: each then walks its own index instead of the whole table.
  const rows: UserRow[] = [];
  const seen = new Set<string>();
  for (const condition of conditions) {
    for (const row of await executor.select().from(users).where(and(isNull(users.deletedAt), condition))) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
  }

  const byId = new Map(rows.map((r) => [r.id, r]));
  const linked = new Map(linkRows.flatMap((l) => (byId.has(l.directoryId) ? [[l.targetId, byId.get(l.directoryId)!] as const] : [])));
  const indexes = new Map<string, Map<string, UserRow[]>>();
  for (const attribute of new Set(['email', ...mapping.matchKeys.map((k) => k.attribute)])) {
    const index = new Map<string, UserRow[]>();
    for (const row of rows) {
      const v = valueOf(row, attribute);
      if (v === null || v === undefined || v === '') continue;
      const key = norm(attribute, String(v));
      const list = index.get(key);
      if (list) list.push(row);
      else index.set(key, [row]);
    }
    indexes.set(attribute, index);
  }
  return {
    linkedTo: (targetId) => linked.get(targetId),
    find: (attribute, value) => indexes.get(attribute)?.get(norm(attribute, value)) ?? [],
  };
}
