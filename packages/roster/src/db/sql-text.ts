/**
 * Runs driver-level SQL text with `$n` parameters through a drizzle executor, so that code written
 * for raw clients (pg-boss) can join a drizzle transaction on either driver.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from './database.ts';

export function sqlFromText(text: string, values: readonly unknown[] = []): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) chunks.push(sql.raw(parts[i] as string));
    } else {
      const index = Number(parts[i]) - 1;
      if (index < 0 || index >= values.length) throw new Error(`SQL text refers to $${index + 1} but ${values.length} values were given`);
      // drizzle drops `undefined` chunks; drivers send undefined parameters as NULL.
      chunks.push(sql`${values[index] ?? null}`);
    }
  }
  return sql.join(chunks);
}

export async function executeText(executor: Executor, text: string, values?: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
  const result = (await executor.execute(sqlFromText(text, values))) as unknown as { rows: Record<string, unknown>[] };
  return { rows: result.rows };
}
