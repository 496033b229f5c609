/** Reads applications as the API shows them, and the checks every application write starts with. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { applications } from '../../db/schema.ts';
import { AppError, type FieldIssue } from '../../errors/app-error.ts';
import type { Application } from './app-schemas.ts';
import { type GalleryEntry, galleryEntry } from './gallery.ts';

type AppRow = typeof applications.$inferSelect;

export function toApplication(row: AppRow): Application {
  const entry = entryOf(row.type);
  return {
    id: row.id,
    type: row.type,
    typeName: entry.name,
    displayName: row.displayName,
    settings: row.settings,
    targetUrl: entry.targetUrl(row.settings),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The gallery entry of a stored application; a type missing from the gallery is a bug, not input. */
export function entryOf(type: string): GalleryEntry {
  const entry = galleryEntry(type);
  if (!entry) throw new Error(`Application type ${type} is not in the gallery`);
  return entry;
}

export const appNotFound = (id: string, path = 'params.id'): AppError =>
  new AppError('not_found', `No application with id ${id}.`, { issues: [{ path, reason: 'no such application' }], details: { kind: 'application', id } });

/** The live application row with `id`, or a 404 naming `path`. */
export async function findAppRow(executor: Executor, id: string, path = 'params.id'): Promise<AppRow> {
  const [row] = await executor.select().from(applications).where(and(eq(applications.id, id), isNull(applications.deletedAt)));
  if (!row) throw appNotFound(id, path);
  return row;
}

/** Parses `settings` with the entry's schema; problems name `body.settings.<field>`. */
export function parseSettings(entry: GalleryEntry, settings: Record<string, unknown>): Record<string, unknown> {
  const parsed = entry.settingsSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.flatMap((i): FieldIssue[] => {
    const base = ['body', 'settings', ...i.path.map(String)].join('.');
    if (i.code === 'unrecognized_keys') return i.keys.map((k) => ({ path: `${base}.${k}`, reason: 'unknown field' }));
    return [{ path: base, reason: i.message }];
  });
  throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues });
}

/** Refuses settings that name the same target as another live application of the same type. */
export async function assertTargetFree(executor: Executor, entry: GalleryEntry, settings: Record<string, unknown>, exceptId?: string): Promise<void> {
  const key = entry.identityKey(settings);
  const rows = await executor
    .select()
    .from(applications)
    .where(and(eq(applications.type, entry.key), isNull(applications.deletedAt)));
  const other = rows.find((r) => r.id !== exceptId && entry.identityKey(r.settings) === key);
  if (other) {
    throw new AppError('duplicate', `The application "${other.displayName}" already connects ${entry.targetUrl(settings)}.`, {
      issues: [{ path: `body.settings.${entry.identityField}`, reason: `already used by application ${other.id}` }],
      details: { existingId: other.id },
    });
  }
}
