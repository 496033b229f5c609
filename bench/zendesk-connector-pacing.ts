/**
 * The Zendesk connector at Enterprise limits (700 requests/min, 100 users per job, 30 jobs in
 * flight, default job pace 3 s + 70 ms per user, one job at a time) against the sandbox in its own
 * process. Two "workers" (two connections, two database pacers on one PGlite database) share the
 * account budget, as the engine's workers do.
 *
 *  A. single calls: SINGLE `GET /users/{id}` split over both workers, as fast as the pacer allows.
 *     Floor = what 700/min allows; target ≤ 1.25× the floor and 0 unplanned 429s.
 *  B. bulk: BULK users through `createMany` (jobs of 100, concurrently). Floor = the job pace
 *     (queue delay + BULK × 70 ms; jobs run one at a time per account).
 *
 * Run: `npx tsx bench/zendesk-connector-pacing.ts [SINGLE] [BULK]` (defaults 1000 1000).
 */
import { openDatabase } from '../packages/roster/src/db/database.ts';
import { connectZendesk } from '../packages/roster/src/connectors/zendesk/connector.ts';
import { zendeskConfigSchema } from '../packages/roster/src/connectors/zendesk/config.ts';
import { createDbPacer } from '../packages/roster/src/provisioning/apply/pacer.ts';
import { control as controlOnce, loadAverage, startSandboxProcess } from './sandbox-common.ts';

/** One retry: an idle keep-alive socket the sandbox just closed fails the first attempt. */
const control = async (url: string, method: string, path: string, body?: unknown): Promise<unknown> => {
  try {
    return await controlOnce(url, method, path, body);
  } catch {
    return controlOnce(url, method, path, body);
  }
};

const SINGLE = Number(process.argv[2] ?? 1000);
const BULK = Number(process.argv[3] ?? 1000);
const LIMIT = 700;
const PACE = { queueDelayMs: 3000, perItemMs: 70, concurrency: 1 };

interface Snapshot {
  counters: { requests: number; rateLimited: number; byStatus: Record<string, number> };
  users: { id: number; external_id: string | null }[];
}

async function main() {
  const sandbox = await startSandboxProcess();
  const database = await openDatabase({ dataDir: 'memory://' });
  try {
    const sub = 'pacing';
    const created = (await control(sandbox.url, 'POST', '/__sandbox/accounts', { subdomain: sub, plan: 'enterprise', pace: PACE })) as { account: { adminEmail: string; apiToken: string } };
    const config = zendeskConfigSchema.parse({ method: 'api_token', subdomain: sub, email: created.account.adminEmail, apiToken: created.account.apiToken, baseUrlTemplate: `${sandbox.url}/{subdomain}` });
    const worker = () =>
      connectZendesk(config, {
        fetch,
        now: Date.now,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
        // Starts at the Team limit and learns 700 from the first answers, as in production.
        pacer: createDbPacer(database.db, `zendesk:${sub}`),
      });
    const workers = [worker(), worker()];
    const seeded = (await control(sandbox.url, 'POST', `/__sandbox/accounts/${sub}/seed`, { count: 100 })) as { firstId: number };
    const snap = async () => (await control(sandbox.url, 'GET', `/__sandbox/accounts/${sub}/snapshot`)) as Snapshot;
    // Warm-up: the pacer learns the limit; then wait for a fresh sandbox window.
    await workers[0]?.users.get(String(seeded.firstId));
    if (SINGLE > 0) await new Promise((r) => setTimeout(r, 61_000));

    const before = (await snap()).counters;
    let t0 = performance.now();
    let next = 0;
    await Promise.all(
      workers.flatMap((w) =>
        Array.from({ length: 8 }, async () => {
          while (next < SINGLE) {
            next += 1;
            const r = await w.users.get(String(seeded.firstId + (next % 100)));
            if (!r.ok) throw new Error(r.error.message);
          }
        }),
      ),
    );
    const singleS = (performance.now() - t0) / 1000;
    const mid = (await snap()).counters;
    const singleFloor = (SINGLE / LIMIT) * 60;
    const single429 = mid.rateLimited - before.rateLimited;

    t0 = performance.now();
    const inputs = Array.from({ length: BULK }, (_, i) => ({ externalId: `bench-${i}`, roleKey: 'end-user', attributes: { name: `Bench ${i}`, email: `bench-${i}@example.com` } }));
    const half = Math.ceil(BULK / 2 / 100) * 100;
    const results = await Promise.all([workers[0]?.users.createMany?.(inputs.slice(0, half)), workers[1]?.users.createMany?.(inputs.slice(half))]);
    const bulkS = (performance.now() - t0) / 1000;
    const okCount = results.reduce((n, r) => n + (r?.ok ? r.value.filter((x) => x.ok).length : 0), 0);
    const after = await snap();
    const bulkFloor = (PACE.queueDelayMs + BULK * PACE.perItemMs) / 1000;
    const bulkRequests = after.counters.requests - mid.requests;

    console.log(`zendesk connector pacing — sandbox plan enterprise (${LIMIT}/min), job pace ${JSON.stringify(PACE)}; ${loadAverage()}; ${sandbox.placement}`);
    console.log('| phase | items | wall s | floor s | ratio | requests | 429s |');
    console.log('|---|---|---|---|---|---|---|');
    if (SINGLE > 0) console.log(`| single GETs, 2 workers × 8 callers | ${SINGLE} | ${singleS.toFixed(1)} | ${singleFloor.toFixed(1)} | ${(singleS / singleFloor).toFixed(2)} | ${mid.requests - before.requests} | ${single429} |`);
    console.log(`| createMany (jobs of 100), 2 workers | ${BULK} (${okCount} ok) | ${bulkS.toFixed(1)} | ${bulkFloor.toFixed(1)} | ${(bulkS / bulkFloor).toFixed(2)} | ${bulkRequests} | ${after.counters.rateLimited - mid.rateLimited} |`);
    console.log(`targets: ratio ≤ 1.25, 0 unplanned 429s; users created in the sandbox: ${after.users.filter((u) => u.external_id?.startsWith('bench-')).length}`);
  } finally {
    await database.close();
    await sandbox.stop();
  }
}

await main();
