/** The audit log's filter inputs → GET /api/audit query: empty ones left out, local times sent as ISO instants. */

export interface AuditFilters {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  /** `datetime-local` input values (local time, no zone). */
  from: string;
  to: string;
}

export function auditQuery(f: AuditFilters): Record<string, string> {
  const q: Record<string, string> = {};
  for (const k of ['actor', 'action', 'targetType', 'targetId'] as const) if (f[k].trim()) q[k] = f[k].trim();
  for (const k of ['from', 'to'] as const) {
    const d = f[k] ? new Date(f[k]) : null;
    if (d && !Number.isNaN(d.getTime())) q[k] = d.toISOString();
  }
  return q;
}
