import type { UserRecord } from './user-record.ts';

/** Kinds of public-API writes the sandbox records (control-API changes are never recorded). */
export type WriteKind =
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'group.create'
  | 'group.update'
  | 'group.delete'
  | 'membership.create'
  | 'membership.delete';

/** The target user's identifying state just before a write. */
export interface UserBefore {
  id: number;
  external_id: string | null;
  email: string | null;
  name: string;
  suspended: boolean;
  active: boolean;
}

/** One recorded write (`GET /__sandbox/accounts/{sub}/writes`). */
export interface WriteEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  kind: WriteKind;
  userId: number | null;
  before: UserBefore | null;
  body: unknown;
  /** The id of the object the write created, where the body cannot tell it (a membership create). */
  createdId?: number;
}

export function userBefore(user: UserRecord | null | undefined): UserBefore | null {
  if (!user) return null;
  return { id: user.id, external_id: user.externalId, email: user.email, name: user.name, suspended: user.suspended, active: user.active };
}

export const WRITE_LOG_CAPACITY = 200_000;

/**
 * The last `capacity` writes of one account in a ring buffer. Sequence numbers are contiguous
 * (1, 2, 3…), so `since(seq)` is an index computation, not a search.
 */
export class WriteLog {
  private readonly ring: Array<WriteEntry | undefined>;
  private start = 0;
  private count = 0;
  private nextSeq = 1;

  constructor(private readonly capacity = WRITE_LOG_CAPACITY) {
    this.ring = new Array<WriteEntry | undefined>(capacity);
  }

  /** After a restart: numbering continues where the previous run stopped (the entries are not kept). */
  continueAfter(seq: number): void {
    if (this.count === 0 && seq >= this.nextSeq) this.nextSeq = seq + 1;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  record(entry: Omit<WriteEntry, 'seq' | 'at'>): WriteEntry {
    const full: WriteEntry = { seq: this.nextSeq++, at: new Date().toISOString(), ...entry };
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = full;
      this.count += 1;
    } else {
      this.ring[this.start] = full;
      this.start = (this.start + 1) % this.capacity;
    }
    return full;
  }

  /** Entries with `seq > since`, oldest first, at most `limit`. */
  since(since: number, limit = Number.POSITIVE_INFINITY): WriteEntry[] {
    const firstSeq = this.nextSeq - this.count;
    const from = Math.max(0, since + 1 - firstSeq);
    const out: WriteEntry[] = [];
    for (let i = from; i < this.count && out.length < limit; i++) out.push(this.ring[(this.start + i) % this.capacity] as WriteEntry);
    return out;
  }
}
