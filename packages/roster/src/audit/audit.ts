/** Writes the audit log: every admin action, who, what, when, before/after. */
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

/** Call inside the transaction that makes the change, so the entry exists exactly when the change does. */
export async function recordAudit(executor: Executor, actor: Principal, entry: AuditEntry, requestId?: string): Promise<void> {
  await executor.insert(auditLog).values({
    actorId: actor.adminId,
    actorEmail: actor.email,
    via: actor.via,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: entry.before === undefined ? null : redact(entry.before),
    after: entry.after === undefined ? null : redact(entry.after),
    requestId: requestId ?? null,
  });
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
