/**
 * A 100,000-user account: the sandbox process's RSS after seeding (target < 300 MB) and the time
 * to list every user by cursor with `page[size]=100` (target ≤ 3 s, 1,000 sequential requests, as
 * a connector pages).
 * Run: `npx tsx bench/sandbox-users-100k.ts`.
 */
import { cpuSeconds, isMain, keepAliveClient, loadAverage, printTable, rssMiB, seedUsers, startSandboxProcess, type BenchRow } from './sandbox-common.ts';

const USERS = 100_000;
const RSS_TARGET_MB = 300;
const LIST_TARGET_S = 3;

export async function runUsers100k(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const sandbox = await startSandboxProcess();
  try {
    const idleRss = rssMiB(sandbox.pid);
    const seedStart = performance.now();
    await seedUsers(sandbox.url, USERS - 1); // plus the owner admin = 100,000
    const seedSec = (performance.now() - seedStart) / 1000;
    await new Promise((r) => setTimeout(r, 1000)); // let the seeding garbage be collected
    const rss = rssMiB(sandbox.pid);

    const client = keepAliveClient(sandbox.url, 1);
    // One warm-up pass over a few pages so JIT compilation is not part of the figure.
    for (let i = 0, after = ''; i < 20; i++) {
      const page = JSON.parse((await client.call('GET', `/api/v2/users?page[size]=100${after}`)).body) as { meta: { after_cursor: string } };
      after = `&page[after]=${encodeURIComponent(page.meta.after_cursor)}`;
    }
    const cpuBefore = cpuSeconds(sandbox.pid);
    const clientBefore = process.cpuUsage();
    const started = performance.now();
    let seen = 0;
    let pages = 0;
    let path: string | null = '/api/v2/users?page[size]=100';
    while (path) {
      const r = await client.call('GET', path);
      if (r.status !== 200) throw new Error(`page ${pages} → ${r.status} ${r.body.slice(0, 200)}`);
      const page = JSON.parse(r.body) as { users: unknown[]; meta: { has_more: boolean }; links: { next: string | null } };
      seen += page.users.length;
      pages += 1;
      path = page.meta.has_more && page.links.next ? new URL(page.links.next).pathname + new URL(page.links.next).search : null;
    }
    const listSec = (performance.now() - started) / 1000;
    const listCpu = cpuSeconds(sandbox.pid) - cpuBefore;
    const clientUsage = process.cpuUsage(clientBefore);
    const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    client.close();
    if (seen !== USERS) throw new Error(`listed ${seen} users, expected ${USERS}`);

    const rows: BenchRow[] = [
      { bench: 'RSS with 100,000 users', measured: `${rss.toFixed(0)} MB`, target: `< ${RSS_TARGET_MB} MB`, ratio: RSS_TARGET_MB / rss },
      { bench: 'list 100,000 users by cursor', measured: `${listSec.toFixed(2)} s`, target: `≤ ${LIST_TARGET_S} s`, ratio: LIST_TARGET_S / listSec },
      // Pages are fetched one after another, so with a core each the time is the two processes' CPU added up.
      { bench: 'list 100,000, CPU-bound time (estimate)', measured: `${(listCpu + clientCpu).toFixed(2)} s`, target: `≤ ${LIST_TARGET_S} s`, ratio: LIST_TARGET_S / (listCpu + clientCpu) },
    ];
    const notes = [
      sandbox.placement,
      `RSS ${idleRss.toFixed(0)} MB before seeding; seeding ${USERS.toLocaleString('en')} users took ${seedSec.toFixed(1)} s through the control API`,
      `${pages} pages of 100 in sequence over one keep-alive connection; sandbox CPU ${listCpu.toFixed(2)} s, load generator CPU ${clientCpu.toFixed(2)} s (JSON parsing) for the listing`,
      loadAverage(),
    ];
    return { rows, notes };
  } finally {
    await sandbox.stop();
  }
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await runUsers100k();
  printTable('zendesk-sandbox with 100,000 users', rows, notes);
}
