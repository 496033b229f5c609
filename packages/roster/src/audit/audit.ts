/** Writes the audit log: every admin action, who, what, when, before/after. */
import { sql } from 'drizzle-orm';
import type { Principal } from '../admins/permissions.ts';
import type { Executor } from '../db/database.ts';
import { auditLog } from '../db/schema.ts';

export interface AuditEntry {
  /** Dotted verb, e.g. `user.create`, `group.member.add`, `admin.token.create`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** One audit_log row as stored. */
export interface AuditRow {
  actorId: string | null;
  actorEmail: string | null;
  via: string;
  action: string;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** Above this many rows one JSON parameter beats a multi-row VALUES list (about 2× on PGlite at hundreds of rows). */
const JSON_ROWS_THRESHOLD = 20;

/**
 * Call inside the transaction that makes the change, so the entry exists exactly when the change does.
 * Several entries (one per affected object) go in one statement.
 */
export async function recordAudit(executor: Executor, actor: Principal, entry: AuditEntry | readonly AuditEntry[], requestId?: string): Promise<void> {
  const entries: readonly AuditEntry[] = Array.isArray(entry) ? entry : [entry as AuditEntry];
  await insertAuditRows(
    executor,
    entries.map((e) => ({
      actorId: actor.adminId,
      actorEmail: actor.email,
      via: actor.via,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId ?? null,
      before: e.before === undefined ? null : redact(e.before),
      after: e.after === undefined ? null : redact(e.after),
      requestId: requestId ?? null,
    })),
  );
}

/** Writes rows as given (callers redact); many rows go as one JSON parameter. */
export async function insertAuditRows(executor: Executor, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length <= JSON_ROWS_THRESHOLD) {
    await executor.insert(auditLog).values(rows.map((r) => ({ ...r })));
    return;
  }
  const records = rows.map((r) => ({ actor_id: r.actorId, actor_email: r.actorEmail, via: r.via, action: r.action, target_type: r.targetType, target_id: r.targetId, before: r.before, after: r.after, request_id: r.requestId }));
  await executor.execute(sql`insert into audit_log (actor_id, actor_email, via, action, target_type, target_id, before, after, request_id)
    select actor_id, actor_email, via, action, target_type, target_id, before, after, request_id
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(actor_id uuid, actor_email text, via text, action text, target_type text, target_id text, before jsonb, after jsonb, request_id text)`);
}

const SECRET_KEYS = /password|secret|token|hash/i;

/** Never write a secret into the audit log, even by accident. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}
