/** Import sessions and items as the API shows them (the lease and the confirming admin stay internal). */
import { z } from 'zod';
import type { importItems, importSessions } from '../../db/provisioning-schema.ts';
import { importCategories } from './classify.ts';

export const importStatuses = ['reading', 'classified', 'applying', 'applied', 'failed', 'cancelled'] as const;
export type ImportStatus = (typeof importStatuses)[number];

export const sessionViewSchema = z.object({
  id: z.string(),
  applicationId: z.string(),
  status: z.enum(importStatuses),
  /** Items by category, and once confirmed: pending, applied, failed. */
  counts: z.record(z.string(), z.number()),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number().nullable() }),
  /** Mapped target fields that are not imported (expressions, constants), with why. */
  notImported: z.array(z.object({ target: z.string(), reason: z.string() })),
  error: z.object({ code: z.string(), message: z.string(), advice: z.string().optional() }).nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  version: z.number(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const itemViewSchema = z.object({
  targetId: z.string(),
  category: z.enum(importCategories),
  identity: z.string(),
  directoryUserId: z.string().nullable(),
  /** The target account as read: name, email, role, suspended, attributes. */
  target: z.record(z.string(), z.unknown()),
  differences: z.array(z.object({ field: z.string(), directory: z.unknown(), target: z.unknown() })),
  reasonCode: z.string().nullable(),
  reason: z.string().nullable(),
  sourceProfile: z.enum(['target', 'directory']).nullable(),
  applyStatus: z.enum(['pending', 'applied', 'failed']).nullable(),
  applyError: z.record(z.string(), z.unknown()).nullable(),
  appliedAt: z.string().nullable(),
});
export type ItemView = z.infer<typeof itemViewSchema>;

type SessionRow = typeof importSessions.$inferSelect;
type ItemRow = typeof importItems.$inferSelect;

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function toSessionView(row: SessionRow): SessionView {
  const p = row.progress;
  const error = row.error as { code?: unknown; message?: unknown; advice?: unknown } | null;
  return {
    id: row.id,
    applicationId: row.applicationId,
    status: row.status as ImportStatus,
    counts: row.counts,
    progress: { phase: typeof p['phase'] === 'string' ? p['phase'] : row.status, done: num(p['done']), total: typeof p['total'] === 'number' ? p['total'] : null },
    notImported: Array.isArray(p['notImported']) ? (p['notImported'] as SessionView['notImported']) : [],
    error: error ? { code: String(error.code), message: String(error.message), ...(typeof error.advice === 'string' ? { advice: error.advice } : {}) } : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
    version: row.version,
  };
}

export function toItemView(row: ItemRow): ItemView {
  return {
    targetId: row.targetId,
    category: row.category as ItemView['category'],
    identity: row.identity,
    directoryUserId: row.directoryUserId,
    target: row.target,
    differences: row.differences,
    reasonCode: row.reasonCode,
    reason: row.reason,
    sourceProfile: (row.sourceProfile as ItemView['sourceProfile']) ?? null,
    applyStatus: (row.applyStatus as ItemView['applyStatus']) ?? null,
    applyError: row.applyError ?? null,
    appliedAt: row.appliedAt?.toISOString() ?? null,
  };
}
