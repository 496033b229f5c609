/**
 * TEST ONLY — never shipped or started by Roster: a `roster worker` (same start-up, same handlers)
 * that stalls in the window between pg-boss handing it a job and anything else, for jobs of the
 * queue named by `ROSTER_TEST_ONLY_STALL_QUEUE`. It prints `STALLED <queue> <job ids>` and waits
 * there until the test SIGKILLs it: the kill lands after the fetch and before the job's claim and
 * its run's lease (test/kill/kill-window.ts). Configuration comes from the environment like the CLI's.
 */
import { loadConfig } from '../../src/config/config.ts';
import { startWorkerProcess } from '../../src/runtime/worker-process.ts';

const stallQueue = process.env['ROSTER_TEST_ONLY_STALL_QUEUE'] ?? '';
const config = loadConfig(process.env);
if (!config.ok) throw new Error(config.error.join('\n'));
await startWorkerProcess(config.value, (line) => process.stdout.write(`${line}\n`), {
  testOnlyAfterFetch: async (queue, jobs) => {
    if (queue !== stallQueue) return;
    process.stdout.write(`STALLED ${queue} ${jobs.map((j) => j.id).join(',')}\n`);
    await new Promise(() => undefined);
  },
});
