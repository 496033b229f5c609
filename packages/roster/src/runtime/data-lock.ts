/**
 * One process per embedded data folder: PGlite is a single-process database, and a second `serve`
 * or `migrate` on the same folder would corrupt it. A pid file guards the folder; a stale one (its
 * process is gone) is taken over.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'roster.pid';

export interface DataLock {
  release(): Promise<void>;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, which still means the folder is in use.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export async function lockDataDir(dataDir: string): Promise<DataLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return {
        async release() {
          const owner = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
          if (owner === process.pid) await fs.rm(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
      // Our own pid: this process already runs Roster on the folder (e.g. a second startServer).
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || alive(pid))) {
        throw new Error(`another Roster process (pid ${pid}) uses the embedded database in ${dataDir}; stop it, or choose another --data-dir / ROSTER_DATA_DIR`, { cause: e });
      }
      await fs.rm(file, { force: true });
    }
  }
  throw new Error(`cannot lock ${file}`);
}
