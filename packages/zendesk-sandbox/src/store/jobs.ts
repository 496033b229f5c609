import { randomBytes } from 'node:crypto';
import type { Pace } from './pace.ts';

export type JobStatus = 'queued' | 'working' | 'completed' | 'failed';

/** One unit of a bulk job; runs against the store when the job reaches it. */
export type JobItem = () => Record<string, unknown>;

/** A bulk job (API-NOTES §5). `results` stays null until the job is done. */
export interface JobRecord {
  id: string;
  /** Submission order, for cursor paging of the newest-first list. */
  seq: number;
  jobType: string;
  total: number;
  progress: number | null;
  status: JobStatus;
  message: string | null;
  results: Array<Record<string, unknown>> | null;
  createdAtMs: number;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /** Word used in progress messages: "Creating User #53". */
  verb: string;
  items: JobItem[];
  done: Array<Record<string, unknown>>;
}

export interface JobRunnerHooks {
  pace(): Pace;
  /** Decided when a job starts: should it fail (fault injection)? */
  shouldFail(): boolean;
  /** A job was submitted or finished (for the state file). */
  changed?(job: JobRecord): void;
}

const KEEP_FINISHED = 5000;

/**
 * Runs an account's jobs: each waits `queueDelayMs`, then at most `concurrency` run at once, item
 * `i` finishing at `start + (i + 1) * perItemMs` (absolute times, so timer drift does not add up).
 */
export class JobRunner {
  readonly all: JobRecord[] = [];
  private readonly byId = new Map<string, JobRecord>();
  private readonly ready: JobRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = 0;
  private closed = false;
  private nextSeq = 1;

  constructor(private readonly hooks: JobRunnerHooks) {}

  get(id: string): JobRecord | undefined {
    return this.byId.get(id);
  }

  inflight(): JobRecord[] {
    return this.all.filter((j) => j.status === 'queued' || j.status === 'working');
  }

  submit(jobType: string, verb: string, items: JobItem[]): JobRecord {
    const job: JobRecord = {
      id: `V3-${randomBytes(16).toString('hex')}`,
      seq: this.nextSeq++,
      jobType,
      total: items.length,
      progress: null,
      status: 'queued',
      message: null,
      results: null,
      createdAtMs: Date.now(),
      startedAtMs: null,
      finishedAtMs: null,
      verb,
      items,
      done: [],
    };
    this.all.push(job);
    this.byId.set(job.id, job);
    this.hooks.changed?.(job);
    this.later(this.hooks.pace().queueDelayMs, () => {
      this.ready.push(job);
      this.pump();
    });
    this.prune();
    return job;
  }

  /**
   * Puts back jobs read from the state file, oldest first. One that was queued or running when the
   * sandbox stopped cannot resume (its items were not kept): it is restored as failed.
   */
  restore(jobs: readonly JobRecord[]): void {
    for (const job of jobs) {
      if (job.status === 'queued' || job.status === 'working') {
        job.status = 'failed';
        job.message = 'Failed: the sandbox restarted before this job finished';
        job.results = null;
        job.finishedAtMs = Date.now();
        this.hooks.changed?.(job);
      }
      this.all.push(job);
      this.byId.set(job.id, job);
      this.nextSeq = Math.max(this.nextSeq, job.seq + 1);
    }
    this.prune();
  }

  /** Stops every timer; jobs in flight stay as they are. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private pump(): void {
    while (this.running < this.hooks.pace().concurrency && this.ready.length > 0) {
      this.start(this.ready.shift() as JobRecord);
    }
  }

  private start(job: JobRecord): void {
    this.running += 1;
    job.status = 'working';
    job.progress = 0;
    job.startedAtMs = Date.now();
    if (this.hooks.shouldFail()) {
      this.finish(job, 'failed', 'Failed: the sandbox injected a job failure');
      return;
    }
    this.step(job);
  }

  private step(job: JobRecord): void {
    const perItem = this.hooks.pace().perItemMs;
    const started = job.startedAtMs as number;
    const due = perItem <= 0 ? job.total : Math.min(job.total, Math.floor((Date.now() - started) / perItem));
    while (job.done.length < due) {
      const item = job.items[job.done.length] as JobItem;
      job.done.push(item());
    }
    job.progress = job.done.length;
    job.message = job.done.length > 0 ? `${job.verb} #${job.done.length}` : null;
    if (job.done.length >= job.total) {
      this.finish(job, 'completed', `Completed at ${formatCompleted(Date.now())}`);
      return;
    }
    const nextAt = started + (job.done.length + 1) * perItem;
    this.later(Math.max(0, nextAt - Date.now()), () => this.step(job));
  }

  private finish(job: JobRecord, status: 'completed' | 'failed', message: string): void {
    job.status = status;
    job.message = message;
    job.results = status === 'completed' ? job.done : null;
    job.finishedAtMs = Date.now();
    job.items = [];
    this.hooks.changed?.(job);
    this.running -= 1;
    this.pump();
  }

  private prune(): void {
    if (this.all.length <= KEEP_FINISHED * 2) return;
    const keep = this.all.filter((j, i) => i >= this.all.length - KEEP_FINISHED || j.finishedAtMs === null);
    const dropped = this.all.filter((j) => !keep.includes(j));
    for (const j of dropped) this.byId.delete(j.id);
    this.all.splice(0, this.all.length, ...keep);
  }
}

/** "2023-09-18 23:26:10 +0000", as in recorded job messages. */
function formatCompleted(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}
