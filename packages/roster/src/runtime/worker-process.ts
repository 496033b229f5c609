/** `roster worker`: a process that only works jobs, for scale-out on a shared PostgreSQL. */
import pino from 'pino';
import { loggerOptions } from '../api/logger.ts';
import type { Config } from '../config/config.ts';
import { startQueue } from '../jobs/queue.ts';
import { prettyDestination } from './log-format.ts';
import { openConfiguredDatabase } from './open.ts';
import { loadSecretKey } from './secret-key.ts';
import { startWorker } from './worker.ts';

export interface RunningWorker {
  queues: string[];
  close(): Promise<void>;
}

/** `testOnly`: hooks only test/kill's stalling worker passes (see startWorker). */
export async function startWorkerProcess(config: Config, print: (line: string) => void, testOnly: Pick<Parameters<typeof startWorker>[0], 'testOnlyAfterFetch'> = {}): Promise<RunningWorker> {
  const log = pino(loggerOptions(config.logLevel), ...(process.stdout.isTTY ? [prettyDestination(process.stdout)] : []));
  const { database, description } = await openConfiguredDatabase(config, print);
  try {
    // Must be the key `serve` uses: ROSTER_SECRET_KEY, or the same data folder's key file.
    const secret = await loadSecretKey(config, { createIfMissing: false });
    const queue = await startQueue(database, { supervise: true });
    const worker = await startWorker({ database, queue, config: { ...config, secretKey: Buffer.from(secret.key) }, secretKey: secret.key, log, ...testOnly });
    print(`Roster worker running on ${description}; queues: ${worker.queues.join(', ') || '(none registered yet)'}. Stop with Ctrl+C.`);
    return {
      queues: worker.queues,
      async close() {
        await worker.stop();
        await queue.stop({ graceful: true, wait: true, timeout: 10_000 });
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
