/** The kinds of record the state file keeps, one journal line each. */
export type RecordKind = 'account' | 'user' | 'group' | 'membership' | 'role' | 'org' | 'field' | 'client' | 'token' | 'job';

/** One pending change: the record itself (serialised at flush time, so later edits coalesce) or `null` = gone. */
export interface PendingChange {
  readonly sub: string;
  readonly kind: RecordKind;
  readonly id: number | string;
  readonly value: unknown;
}

/**
 * Records touched since the last flush, for the state file. Disabled (every call a no-op) when the
 * sandbox runs in memory only, so tests and benches without a state file pay nothing.
 */
export class ChangeSet {
  enabled = false;
  /** Set by `POST /__sandbox/reset`: the journal gets a reset line before the pending records. */
  resetPending = false;
  private readonly pending = new Map<string, PendingChange>();
  /** Called when the set goes from clean to dirty (the persistence schedules a flush). */
  onDirty: (() => void) | null = null;

  get dirty(): boolean {
    return this.pending.size > 0 || this.resetPending;
  }

  put(sub: string, kind: RecordKind, id: number | string, value: unknown): void {
    if (!this.enabled) return;
    const wasClean = !this.dirty;
    this.pending.set(`${sub}\u0000${kind}\u0000${id}`, { sub, kind, id, value });
    if (wasClean) this.onDirty?.();
  }

  /** Everything pending since `POST /__sandbox/reset` replaces what came before it. */
  reset(): void {
    if (!this.enabled) return;
    const wasClean = !this.dirty;
    this.pending.clear();
    this.resetPending = true;
    if (wasClean) this.onDirty?.();
  }

  take(): { reset: boolean; changes: PendingChange[] } {
    const out = { reset: this.resetPending, changes: [...this.pending.values()] };
    this.pending.clear();
    this.resetPending = false;
    return out;
  }

  /** The same set, bound to one account (what the stores hold). */
  forAccount(sub: string): AccountChanges {
    return {
      put: (kind, id, value) => this.put(sub, kind, id, value),
      gone: (kind, id) => this.put(sub, kind, id, null),
    };
  }
}

/** An account's view of the change set. */
export interface AccountChanges {
  put(kind: RecordKind, id: number | string, value: unknown): void;
  gone(kind: RecordKind, id: number | string): void;
}

/** For stores built outside an account (unit tests). */
export const NO_CHANGES: AccountChanges = { put: () => undefined, gone: () => undefined };
