/**
 * The sandbox with a state file (`zendesk-sandbox --state-file`): show/update throughput with every
 * write journaled (target ≥ 3,000 requests/s, as without it) next to the in-memory figure, and the
 * restart of a 100,000-user account (process spawn to listening, state loaded; target ≤ 3 s).
 * Run: `npx tsx bench/sandbox-state-file.ts`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { control, cpuSeconds, isMain, loadAverage, printTable, seedUsers, startSandboxProcess, SUBDOMAIN, type BenchRow } from './sandbox-common.ts';
import { runThroughput } from './sandbox-throughput.ts';

const USERS = 100_000;
const RESTART_TARGET_S = 3;

export async function runStateFile(): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-bench-state-'));
  try {
    const memory = await runThroughput();
    const journaled = await runThroughput({ stateFile: join(dir, 'throughput.state') });

    const file = join(dir, 'restart.state');
    let sandbox = await startSandboxProcess({ stateFile: file });
    const seedStart = performance.now();
    await seedUsers(sandbox.url, USERS - 1); // plus the owner admin = 100,000
    const seedSec = (performance.now() - seedStart) / 1000;
    await sandbox.stop();
    const bytes = statSync(file).size;

    sandbox = await startSandboxProcess({ stateFile: file });
    const restartSec = sandbox.startMs / 1000;
    // On a shared machine the wall time depends on the CPU the process got; its CPU time is what a free core would take.
    const restartCpu = cpuSeconds(sandbox.pid);
    const loadedMs = /loaded in (\d+) ms/.exec(sandbox.output())?.[1];
    const count = (await control(sandbox.url, 'GET', `/__sandbox/accounts/${SUBDOMAIN}/snapshot`)) as { users: unknown[] };
    await sandbox.stop();
    if (count.users.length !== USERS) throw new Error(`restarted with ${count.users.length} users, expected ${USERS}`);

    const pick = (rows: BenchRow[], i: number) => rows[i] as BenchRow;
    const rows: BenchRow[] = [
      pick(journaled.rows, 0),
      pick(journaled.rows, 1),
      pick(journaled.rows, 2),
      pick(journaled.rows, 3),
      { bench: 'restart with 100,000 users (spawn → listening)', measured: `${restartSec.toFixed(2)} s`, target: `≤ ${RESTART_TARGET_S} s`, ratio: RESTART_TARGET_S / restartSec },
      { bench: 'restart with 100,000 users, CPU-bound time (estimate)', measured: `${restartCpu.toFixed(2)} s`, target: `≤ ${RESTART_TARGET_S} s`, ratio: RESTART_TARGET_S / restartCpu },
    ];
    const notes = [
      `in memory for comparison: show ${pick(memory.rows, 0).measured}, update ${pick(memory.rows, 1).measured} (per CPU-second ${pick(memory.rows, 2).measured} / ${pick(memory.rows, 3).measured})`,
      ...journaled.notes.filter((n) => !n.startsWith('load average')),
      `state file of ${USERS.toLocaleString('en')} users: ${(bytes / 1024 / 1024).toFixed(0)} MB, seeded in ${seedSec.toFixed(1)} s; the restarted sandbox read it in ${loadedMs ?? '?'} ms (the rest of the restart is Node + tsx start-up)`,
      loadAverage(),
    ];
    return { rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await runStateFile();
  printTable('zendesk-sandbox state file', rows, notes);
}
