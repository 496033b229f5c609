import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { StateFileError } from './state-errors.ts';

/** Whether a process with this id runs on this machine (EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<file>.lock` (created exclusively, holding our pid). A lock whose process is gone is stale
 * and taken over; one held by a live process (this one included) is a {@link StateFileError}.
 * Returns the release function.
 */
export function lockStateFile(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lock);
        } catch {
          // already gone: nothing to release
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StateFileError(file, `cannot create the lock file ${lock}: ${(e as Error).message}`);
    }
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(readFileSync(lock, 'utf8')) as typeof holder;
    } catch {
      throw new StateFileError(file, `the lock file ${lock} is unreadable; if no sandbox uses ${file}, delete the lock file`);
    }
    const pid = typeof holder.pid === 'number' ? holder.pid : -1;
    const sameHost = holder.host === undefined || holder.host === hostname();
    if (pid > 0 && (!sameHost || alive(pid))) {
      throw new StateFileError(file, `is in use by another sandbox (process ${pid}${sameHost ? '' : ` on ${String(holder.host)}`}, lock file ${lock}); stop it, or use another --state-file`);
    }
    try {
      unlinkSync(lock); // stale: its process is gone
    } catch {
      // someone else removed it first; retry the exclusive create
    }
  }
  throw new StateFileError(file, `cannot take the lock file ${lock}`);
}
