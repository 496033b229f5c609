import { closeSync, copyFileSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Account, SandboxShared } from '../store/account.ts';
import { ChangeSet, type PendingChange, type RecordKind } from '../store/changes.ts';
import { IdSource } from '../store/ids.ts';
import type { AccountRegistry } from '../store/registry.ts';
import { lockStateFile } from './file-lock.ts';
import { accountRecords, buildAccount, emptyRawAccount, encodeRecord, maxId, RECORD_KINDS, type AccountMeta, type RawAccount } from './records.ts';
import { StateFileError } from './state-errors.ts';

export const STATE_FORMAT = 'zendesk-sandbox-state';
export const STATE_VERSION = 1;

/** What loading found; `recovery` is set when part of the file was damaged. */
export interface StateReport {
  readonly file: string;
  readonly created: boolean;
  readonly lines: number;
  readonly loaded: Record<string, number>;
  readonly loadMs: number;
  readonly recovery: null | { readonly message: string; readonly line: number; readonly totalLines: number; readonly backup: string };
}

/** The state read from a file, ready to become a registry. */
export interface LoadedState {
  readonly shared: SandboxShared;
  readonly accounts: Account[];
  readonly report: StateReport;
  /** Lines the file holds; compaction is due when that grows well past the live records. */
  readonly lines: number;
}

function summarize(raws: Map<string, RawAccount>): Record<string, number> {
  const out: Record<string, number> = { accounts: 0, users: 0, groups: 0, memberships: 0, roles: 0, userFields: 0, oauthClients: 0, oauthTokens: 0, jobs: 0 };
  for (const raw of raws.values()) {
    if (!raw.meta) continue;
    out.accounts = (out.accounts ?? 0) + 1;
    const r = raw.records;
    for (const [k, n] of [['users', r.user.size], ['groups', r.group.size], ['memberships', r.membership.size], ['roles', r.role.size], ['userFields', r.field.size], ['oauthClients', r.client.size], ['oauthTokens', r.token.size], ['jobs', r.job.size]] as const) {
      out[k] = (out[k] ?? 0) + n;
    }
  }
  return out;
}

const describe = (s: Record<string, number>) => Object.entries(s).map(([k, n]) => `${n} ${k}`).join(', ');

/**
 * Applies one journal line to the raw state; returns a reason when the line is not a valid record.
 * Checks are structural only (a full schema check would cost seconds on 100,000 users).
 */
function applyLine(line: string, raws: Map<string, RawAccount>, ids: { next: number }): string | null {
  let rec: { k?: unknown; s?: unknown; i?: unknown; v?: unknown; n?: unknown };
  try {
    rec = JSON.parse(line) as typeof rec;
  } catch {
    return 'not valid JSON (a truncated write?)';
  }
  if (rec === null || typeof rec !== 'object') return 'not a record';
  if (rec.k === 'reset') {
    raws.clear();
    return null;
  }
  if (rec.k === 'ids') {
    if (typeof rec.n !== 'number' || !Number.isSafeInteger(rec.n)) return 'an id counter that is not an integer';
    ids.next = Math.max(ids.next, rec.n);
    return null;
  }
  if (typeof rec.s !== 'string') return 'a record without its account';
  let raw = raws.get(rec.s);
  if (rec.k === 'wseq') {
    if (typeof rec.n !== 'number') return 'a write sequence that is not a number';
    if (!raw) raws.set(rec.s, (raw = emptyRawAccount()));
    raw.writeSeq = Math.max(raw.writeSeq, rec.n);
    return null;
  }
  if (typeof rec.k !== 'string' || !RECORD_KINDS.has(rec.k)) return `an unknown record kind ${JSON.stringify(rec.k)}`;
  if (typeof rec.i !== 'number' && typeof rec.i !== 'string') return 'a record without an id';
  if (rec.v !== null && (typeof rec.v !== 'object' || Array.isArray(rec.v))) return 'a record whose value is not an object';
  if (rec.k === 'account') {
    if (rec.v === null) raws.delete(rec.s);
    else {
      if (!raw) raws.set(rec.s, (raw = emptyRawAccount()));
      raw.meta = rec.v as AccountMeta;
    }
    return null;
  }
  if (!raw) raws.set(rec.s, (raw = emptyRawAccount()));
  const kind = rec.k as Exclude<RecordKind, 'account'>;
  if (rec.v === null) raw.records[kind].delete(rec.i);
  else {
    const v = rec.v as { id?: unknown; identities?: unknown };
    if (v.id !== rec.i) return 'a record whose id does not match its line';
    if (kind === 'user' && !Array.isArray(v.identities)) return 'a user without identities';
    raw.records[kind].set(rec.i, rec.v);
  }
  return null;
}

/**
 * Reads a state file into accounts. A newer format or a file that is not a sandbox state file is a
 * {@link StateFileError} (nothing is touched). A damaged line stops the reading: what came before
 * it is used, the file is copied to `<file>.corrupt-<time>` and the report says what was recovered.
 */
export function loadState(file: string): LoadedState {
  const started = performance.now();
  const shared: SandboxShared = { ids: new IdSource(), changes: new ChangeSet() };
  const raws = new Map<string, RawAccount>();
  const empty = (): LoadedState => ({ shared, accounts: [], lines: 0, report: { file, created: true, lines: 0, loaded: summarize(raws), loadMs: 0, recovery: null } });
  if (!existsSync(file) || statSync(file).size === 0) return empty();
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const endsClean = lines[lines.length - 1] === '';
  if (endsClean) lines.pop();
  const header = parseHeader(lines[0] ?? '');
  if (!header || header.format !== STATE_FORMAT) throw new StateFileError(file, `is not a Zendesk sandbox state file (its first line is not the ${STATE_FORMAT} header); it was left as it is`);
  if (typeof header.version !== 'number' || header.version > STATE_VERSION) {
    throw new StateFileError(file, `was written by a newer sandbox (state format ${String(header.version)}; this one reads format ${STATE_VERSION}); it was left as it is — run the newer sandbox, or give another --state-file`);
  }
  const ids = { next: 0 };
  let bad: { line: number; reason: string } | null = null;
  for (let i = 1; i < lines.length; i++) {
    const reason = applyLine(lines[i] as string, raws, ids);
    if (reason) {
      bad = { line: i + 1, reason };
      break;
    }
    if (i === lines.length - 1 && !endsClean) {
      bad = { line: i + 2, reason: 'the file ends in the middle of a line (a truncated write?)' };
      break;
    }
  }
  const accounts: Account[] = [];
  let highest = ids.next;
  for (const [sub, raw] of raws) {
    highest = Math.max(highest, maxId(raw) + 1);
    if (raw.meta) accounts.push(buildAccount(sub, raw as RawAccount & { meta: AccountMeta }, shared));
  }
  shared.ids.advanceTo(highest);
  const loaded = summarize(raws);
  let recovery: StateReport['recovery'] = null;
  if (bad) {
    const backup = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    copyFileSync(file, backup);
    const total = lines.length;
    recovery = {
      line: bad.line,
      totalLines: total,
      backup,
      message: `Zendesk sandbox state file ${file}: line ${bad.line} of ${total} is damaged (${bad.reason}); recovered ${describe(loaded)} from the lines before it; the lines from ${bad.line} on were not applied. The damaged file is kept as ${backup}.`,
    };
  }
  return { shared, accounts, lines: lines.length, report: { file, created: false, lines: lines.length, loaded, loadMs: Math.round(performance.now() - started), recovery } };
}

function parseHeader(line: string): { format?: unknown; version?: unknown } | null {
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' ? (v as { format?: unknown; version?: unknown }) : null;
  } catch {
    return null;
  }
}

const COMPACT_MIN_LINES = 100_000;
const WRITE_CHUNK = 1 << 20;
const SYNC_EVERY_MS = 100;

/**
 * The open state file: an append-only journal of records (one JSON line each, the newest line for
 * an id wins), compacted into a fresh snapshot when it grows. Every change is written (to the OS)
 * before the request that made it is answered; `fdatasync` runs at most every 100 ms.
 */
export class StateFile {
  private fd: number | null = null;
  private lines = 0;
  private liveRecords = 0;
  private lastIds = -1;
  private readonly writeSeqs = new Map<string, number>();
  private syncTimer: NodeJS.Timeout | null = null;
  private flushQueued = false;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly registry: AccountRegistry,
    private readonly release: () => void,
  ) {}

  /** Locks and loads `file`; the registry is built from what it holds by `makeRegistry`. */
  static open(file: string, makeRegistry: (restore: { shared: SandboxShared; accounts: Account[] }) => AccountRegistry): { state: StateFile; registry: AccountRegistry; report: StateReport } {
    mkdirSync(dirname(file), { recursive: true });
    const release = lockStateFile(file);
    try {
      const loaded = loadState(file);
      const changes = loaded.shared.changes;
      // From here on every change is journaled (a default account seeded now included).
      changes.enabled = true;
      const registry = makeRegistry({ shared: loaded.shared, accounts: loaded.accounts });
      const state = new StateFile(file, registry, release);
      const live = Object.values(loaded.report.loaded).reduce((a, b) => a + b, 0);
      state.lines = loaded.lines;
      state.liveRecords = live;
      // Rewrite the file when it is new, was damaged, or holds far more lines than live records.
      if (loaded.report.created || loaded.report.recovery || loaded.lines > Math.max(COMPACT_MIN_LINES, live * 2)) state.compact();
      else state.fd = openSync(file, 'a');
      changes.onDirty = () => state.queueFlush();
      state.flush();
      return { state, registry, report: loaded.report };
    } catch (e) {
      release();
      throw e;
    }
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  /** Writes every pending change. Called before each answer and after job steps. */
  flush(): void {
    const changes = this.registry.shared.changes;
    if (this.closed || this.fd === null) return;
    const ids = this.registry.ids.next;
    const seqs = this.registry.list().filter((a) => a.writes.lastSeq !== (this.writeSeqs.get(a.subdomain) ?? 0));
    if (!changes.dirty && ids === this.lastIds && seqs.length === 0) return;
    const { reset, changes: list } = changes.take();
    let out = '';
    let n = 0;
    const emit = (line: string) => {
      out += `${line}\n`;
      n += 1;
      if (out.length >= WRITE_CHUNK) {
        this.write(out);
        out = '';
      }
    };
    if (reset) {
      emit('{"k":"reset"}');
      this.writeSeqs.clear();
    }
    for (const c of list) emit(changeLine(c));
    for (const a of seqs) {
      emit(JSON.stringify({ k: 'wseq', s: a.subdomain, n: a.writes.lastSeq }));
      this.writeSeqs.set(a.subdomain, a.writes.lastSeq);
    }
    if (ids !== this.lastIds) {
      emit(JSON.stringify({ k: 'ids', n: ids }));
      this.lastIds = ids;
    }
    if (out) this.write(out);
    this.lines += n;
    this.scheduleSync();
    if (this.lines > Math.max(COMPACT_MIN_LINES, this.liveRecords * 2)) this.compact();
  }

  private write(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd as number, buf, off, buf.length - off);
  }

  private scheduleSync(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (this.fd !== null) fdatasyncSync(this.fd);
    }, SYNC_EVERY_MS);
    this.syncTimer.unref();
  }

  /** Writes a fresh snapshot next to the file, syncs it and renames it over the file. */
  compact(): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w');
    let out = `${JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, writtenAt: new Date().toISOString() })}\n`;
    let n = 1;
    const flushChunk = () => {
      const buf = Buffer.from(out, 'utf8');
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      out = '';
    };
    this.writeSeqs.clear();
    for (const account of this.registry.list()) {
      for (const [kind, id, value] of accountRecords(account)) {
        out += `${changeLine({ sub: account.subdomain, kind, id, value })}\n`;
        n += 1;
        if (out.length >= WRITE_CHUNK) flushChunk();
      }
      out += `${JSON.stringify({ k: 'wseq', s: account.subdomain, n: account.writes.lastSeq })}\n`;
      this.writeSeqs.set(account.subdomain, account.writes.lastSeq);
      n += 1;
    }
    this.lastIds = this.registry.ids.next;
    out += `${JSON.stringify({ k: 'ids', n: this.lastIds })}\n`;
    n += 1;
    flushChunk();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.file);
    syncDir(dirname(this.file));
    if (this.fd !== null) closeSync(this.fd);
    this.fd = openSync(this.file, 'a');
    this.lines = n;
    this.liveRecords = n;
    // Everything pending is in the snapshot now.
    this.registry.shared.changes.take();
  }

  /** Flushes, syncs and closes the file and releases the lock. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    if (this.fd !== null) {
      fdatasyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
    }
    this.release();
  }
}

function changeLine(c: PendingChange): string {
  return JSON.stringify({ k: c.kind, s: c.sub, i: c.id, v: encodeRecord(c.kind, c.value) });
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot sync a directory; the rename is still atomic
  }
}
