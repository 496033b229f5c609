import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { PGLITE_SHARED_BUFFERS } from './database.ts';

describe('embedded PGlite', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(async () => t?.close());

  it('runs with the laptop-sized buffer pool, not PGlite\'s 128MB default', async () => {
    const r = (await t.database.db.execute(sql`select current_setting('shared_buffers') as v`)) as unknown as { rows: { v: string }[] };
    expect(r.rows[0]?.v).toBe(PGLITE_SHARED_BUFFERS);
    expect(PGLITE_SHARED_BUFFERS).not.toBe('128MB');
  });
});
