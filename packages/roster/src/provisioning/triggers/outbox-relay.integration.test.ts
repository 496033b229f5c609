/**
 * The exact outbox (issue 11, item 5): rows are relayed in (transaction id, id) order, only once their
 * transaction has finished. A transaction that takes a lower id and commits after a higher one is
 * relayed, not skipped; a rolled-back one is not waited for.
 */
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import type { Db, Tx } from '../../db/database.ts';
import { outboxCursors } from '../../db/provisioning-schema.ts';
import { outbox } from '../../db/schema.ts';
import { queryRows } from '../../directory/write-helpers.ts';
import type { Queue } from '../../jobs/queue.ts';
import { RELAY_CONSUMER, readFinished, relayOutbox } from './outbox-relay.ts';

// No application is provisioned in these tests, so the relay hands nothing to the queue: it must never be used.
const noQueue = new Proxy({}, { get: () => () => Promise.reject(new Error('the queue was used')) }) as unknown as Queue;

const change = (entityId: string) => sql`insert into outbox (entity_type, entity_id, op) values ('user', ${entityId}, 'updated') returning id`;
const cursor = async (db: Db | Tx) => (await db.select().from(outboxCursors).where(eq(outboxCursors.consumer, RELAY_CONSUMER)))[0];
/** What the relay would read next, in its order (the cursor is not moved). */
const pending = (db: Db) => db.transaction(async (tx) => {
  const c = await cursor(tx);
  return (await readFinished(tx, c?.lastXact ?? 0, c?.lastId ?? 0)).map((r) => r.entityId);
});

describe.each(openTestDatabase.drivers())('outbox relay on %s', (driver) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase(driver);
    await relayOutbox(t.database.db, noQueue); // whatever the template holds
  });
  afterEach(() => t?.close());

  it('relays in transaction order and moves the cursor to the last row of the last transaction', async () => {
    const db = t.database.db;
    await db.transaction(async (tx) => {
      await tx.execute(change('a1'));
      await tx.execute(change('a2'));
    });
    await db.execute(change('b1'));
    expect(await pending(db)).toEqual(['a1', 'a2', 'b1']);
    expect(await relayOutbox(db, noQueue)).toBe(3);
    const [last] = await db.select().from(outbox).where(eq(outbox.entityId, 'b1'));
    expect(await cursor(db)).toMatchObject({ lastId: last!.id, lastXact: last!.xactId });
    expect(await relayOutbox(db, noQueue)).toBe(0);
  });

  it('continues a cursor written before rows carried their transaction id, without relaying old rows again', async () => {
    const db = t.database.db;
    await db.execute(change('old1'));
    await db.execute(change('old2'));
    const rows = await db.select().from(outbox).orderBy(outbox.id);
    const old1 = rows.find((r) => r.entityId === 'old1')!;
    const old2 = rows.find((r) => r.entityId === 'old2')!;
    // As after the migration: both rows share one transaction id, the cursor knows only the id.
    await db.update(outbox).set({ xactId: old1.xactId }).where(eq(outbox.id, old2.id));
    await db.update(outboxCursors).set({ lastId: old1.id, lastXact: 0 }).where(eq(outboxCursors.consumer, RELAY_CONSUMER));
    await db.execute(change('new1'));
    expect(await relayOutbox(db, noQueue)).toBe(2);
    expect((await cursor(db))?.lastId).toBe((await db.select().from(outbox).where(eq(outbox.entityId, 'new1')))[0]!.id);
  });

  if (driver === 'postgres') {
    it('relays a transaction that took a lower id and committed after a higher one; does not wait on a rollback', async () => {
      const db = t.database.db;
      const late = new pg.Client({ connectionString: t.location.databaseUrl });
      await late.connect();
      try {
        await late.query('begin');
        const lowId = Number((await late.query<{ id: string }>(`insert into outbox (entity_type, entity_id, op) values ('user', 'late', 'updated') returning id`)).rows[0]!.id);
        const [early] = await queryRows<{ id: string }>(db, change('early'));
        expect(Number(early!.id)).toBeGreaterThan(lowId);
        // The late transaction is still open: the committed higher id waits for it instead of moving the cursor past it.
        expect(await relayOutbox(db, noQueue)).toBe(0);
        await late.query('commit');
        expect(await pending(db)).toEqual(['late', 'early']);
        expect(await relayOutbox(db, noQueue)).toBe(2);
        expect(await relayOutbox(db, noQueue)).toBe(0);

        await late.query('begin');
        await late.query(`insert into outbox (entity_type, entity_id, op) values ('user', 'rolled-back', 'updated')`);
        await db.execute(change('after-rollback'));
        expect(await relayOutbox(db, noQueue)).toBe(0);
        await late.query('rollback');
        expect(await pending(db)).toEqual(['after-rollback']);
        expect(await relayOutbox(db, noQueue)).toBe(1);
      } finally {
        await late.end();
      }
    });

    it('does not wait for a transaction held open in another database of the same server', async () => {
      const db = t.database.db;
      const other = new pg.Client({ connectionString: process.env['TEST_DATABASE_URL'] });
      await other.connect();
      try {
        await other.query('begin');
        await other.query('select pg_current_xact_id()'); // holds a transaction id, as a long write elsewhere would
        await db.execute(change('while-elsewhere-open'));
        expect(await pending(db)).toEqual(['while-elsewhere-open']);
        expect(await relayOutbox(db, noQueue)).toBe(1);
      } finally {
        await other.query('rollback').catch(() => undefined);
        await other.end();
      }
    });
  }
});
