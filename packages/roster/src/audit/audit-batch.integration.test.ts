import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { type Principal, effectivePermissions } from '../admins/permissions.ts';
import { auditLog, outbox } from '../db/schema.ts';
import { type Change, recordChanges } from '../directory/outbox.ts';
import { recordAudit } from './audit.ts';

const system: Principal = { adminId: null, email: null, role: 'system', permissions: effectivePermissions('system', []), via: 'system' };

describe.each(openTestDatabase.drivers())('audit and outbox batches on %s', (driver) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(async () => t?.close());

  it('writes hundreds of outbox rows in one JSON statement, in the order given', async () => {
    const db = t.database.db;
    const changes: Change[] = Array.from({ length: 300 }, (_, i) => ({ entityType: 'user', entityId: `batch-${i}`, op: 'updated', data: { fields: [`f${i}`] } }));
    // Observes the real database: the big batch must not go through drizzle's multi-row VALUES.
    const inserts = vi.spyOn(db, 'insert');
    try {
      await db.transaction((tx) => recordChanges(tx, changes));
      expect(inserts).not.toHaveBeenCalled();
    } finally {
      inserts.mockRestore();
    }
    const rows = await db.select().from(outbox).where(eq(outbox.op, 'updated')).orderBy(asc(outbox.id));
    expect(rows.map((r) => r.entityId)).toEqual(changes.map((c) => c.entityId));
    expect(rows[299]?.data).toEqual({ fields: ['f299'] });
  });

  it('writes a list of audit entries in one statement, redacting secrets, and single entries as before', async () => {
    const db = t.database.db;
    const entries = Array.from({ length: 50 }, (_, i) => ({ action: 'test.batch', targetType: 'thing', targetId: `t${i}`, after: { n: i, password: 'hunter2' } }));
    await recordAudit(db, system, entries, 'req-1');
    await recordAudit(db, system, { action: 'test.single', targetType: 'thing', targetId: 'one' });
    const rows = await db.select().from(auditLog).where(eq(auditLog.action, 'test.batch')).orderBy(asc(auditLog.id));
    expect(rows).toHaveLength(50);
    expect(rows[7]).toMatchObject({ targetId: 't7', via: 'system', requestId: 'req-1', before: null, after: { n: 7, password: '[redacted]' } });
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'test.single'))).toHaveLength(1);
  });
});
