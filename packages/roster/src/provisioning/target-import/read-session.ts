/**
 * The read job of an import session: streams every target account through the connection (cursor
 * pages, paced by the account's shared pacer), classifies them a chunk at a time against the
 * directory and stores the items, then finds what needs the whole read: several target accounts
 * matching one directory user, and linked accounts deleted in the target. Memory stays flat: only one
 * chunk is held. A worker that dies mid-read leaves a stale lease; the next one reads again.
 */
import { eq, sql } from 'drizzle-orm';
import type { TargetUser } from '../../connectors/contract.ts';
import { importSessions } from '../../db/provisioning-schema.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import type { EngineEnv } from '../run/engine-env.ts';
import { type ItemDraft, classifyTarget } from './classify.ts';
import { lookupDirectory } from './directory-lookup.ts';
import { importMappingOf } from './import-mapping.ts';
import { acquireLease, releaseLease, renewLease } from './session-lease.ts';
import { failSession, refreshCounts, setProgress } from './session-store.ts';

export type ImportEnv = Pick<EngineEnv, 'db' | 'connect'>;
export type RunResult = 'done' | 'busy' | 'stopped';

/** Target users classified per database round (a few statements per chunk). */
const CHUNK = 2_000;

export async function runImportRead(env: ImportEnv, sessionId: string, runner: string, opts: { staleMs?: number } = {}): Promise<RunResult> {
  const { db } = env;
  if (!(await acquireLease(db, sessionId, runner, opts.staleMs))) return 'busy';
  const [session] = await db.select().from(importSessions).where(eq(importSessions.id, sessionId));
  if (!session || session.status !== 'reading') {
    await releaseLease(db, sessionId, runner);
    return 'stopped';
  }
  const config = await loadProvisioningConfig(db, session.applicationId);
  const mapping = importMappingOf(config.settings);
  const defs = await loadAttributeDefinitions(db);
  const opened = await env.connect(session.applicationId);
  if (!opened.ok) {
    await failSession(db, sessionId, opened.error);
    return 'done';
  }
  await db.execute(sql`delete from import_items where session_id = ${sessionId}`);
  await setProgress(db, sessionId, { phase: 'reading', done: 0, total: null, notImported: mapping.notImported });

  let chunk: TargetUser[] = [];
  let read = 0;
  const flush = async (): Promise<boolean> => {
    const view = await lookupDirectory(db, session.applicationId, mapping, chunk);
    const drafts = chunk.flatMap((t) => classifyTarget(t, mapping, view, defs) ?? []);
    read += chunk.length;
    chunk = [];
    await insertItems(db, sessionId, drafts);
    await setProgress(db, sessionId, { done: read });
    const [now] = await db.select({ status: importSessions.status }).from(importSessions).where(eq(importSessions.id, sessionId));
    if (now?.status === 'reading' && (await renewLease(db, sessionId, runner))) return true;
    await releaseLease(db, sessionId, runner);
    return false;
  };
  for await (const page of opened.value.connection.users.list({ pageSize: 100 })) {
    if (!page.ok) {
      await failSession(db, sessionId, page.error);
      return 'done';
    }
    chunk.push(...page.value);
    if (chunk.length >= CHUNK && !(await flush())) return 'stopped';
  }
  if (chunk.length > 0 && !(await flush())) return 'stopped';

  await db.transaction(async (tx) => {
    const [now] = await tx.select({ status: importSessions.status }).from(importSessions).where(eq(importSessions.id, sessionId)).for('update');
    if (now?.status !== 'reading') return;
    await markSeveralMatches(tx, sessionId);
    await addDeletedInTarget(tx, sessionId, session.applicationId);
    await refreshCounts(tx, sessionId);
    await tx.execute(sql`update import_sessions set status = 'classified', updated_at = now(),
      progress = (progress - 'lease') || jsonb_build_object('phase', 'classified', 'done', ${read}::int, 'total', ${read}::int) where id = ${sessionId}`);
  });
  return 'done';
}

async function insertItems(db: ImportEnv['db'], sessionId: string, drafts: readonly ItemDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  const records = drafts.map((d) => ({
    target_id: d.targetId,
    category: d.category,
    directory_user_id: d.directoryUserId,
    identity: d.identity,
    target: d.target,
    differences: d.differences,
    reason_code: d.reasonCode,
    reason: d.reason,
  }));
  await db.execute(sql`insert into import_items (session_id, target_id, category, directory_user_id, identity, target, differences, reason_code, reason)
    select ${sessionId}::uuid, target_id, category, directory_user_id, identity, target, differences, reason_code, reason
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as x(target_id text, category text, directory_user_id uuid, identity text, target jsonb, differences jsonb, reason_code text, reason text)`);
}

/** Two or more target accounts matched one directory user: none of them is imported. */
async function markSeveralMatches(executor: ImportEnv['db'], sessionId: string): Promise<void> {
  await executor.execute(sql`
    with several as (
      select directory_user_id, string_agg(identity || ' (' || target_id || ')', ', ' order by target_id) as who
      from import_items where session_id = ${sessionId} and category <> 'conflict' and directory_user_id is not null
      group by directory_user_id having count(*) > 1)
    update import_items i set category = 'conflict', reason_code = 'several_target_users',
      reason = 'Several accounts in the target match one directory user: ' || s.who || '. Merge or fix them in the target, then start a new session.'
    from several s where i.session_id = ${sessionId} and i.directory_user_id = s.directory_user_id and i.category <> 'conflict'`);
}

/** Linked accounts the target no longer lists were deleted there: their active directory users are to deactivate. */
async function addDeletedInTarget(executor: ImportEnv['db'], sessionId: string, applicationId: string): Promise<void> {
  await executor.execute(sql`
    insert into import_items (session_id, target_id, category, directory_user_id, identity, target, differences, reason_code, reason)
    select ${sessionId}::uuid, l.target_id, 'deactivate', u.id, u.email,
      jsonb_build_object('id', l.target_id, 'externalId', null, 'email', null, 'name', '', 'roleKey', '', 'suspended', false, 'active', false, 'attributes', '{}'::jsonb),
      '[]'::jsonb, 'deleted_in_target', 'The linked account was deleted in the target (it no longer lists it).'
    from links l join users u on u.id = l.directory_id and u.deleted_at is null and u.status = 'active'
    where l.application_id = ${applicationId} and l.object_type = 'user'
      and not exists (select 1 from import_items i where i.session_id = ${sessionId} and (i.target_id = l.target_id or (i.directory_user_id = u.id and i.category <> 'conflict')))`);
}
