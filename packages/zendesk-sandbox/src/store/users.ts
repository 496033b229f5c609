import { NO_CHANGES, type AccountChanges } from './changes.ts';
import type { UserRecord } from './user-record.ts';

/**
 * Users with the indexes the API needs: by id, by any email identity (lowercased) and by
 * external_id (lowercased — Zendesk matches it case-insensitively). `ordered` stays sorted by id
 * (ids only grow, except when the `forget-users` fault hands forgotten ids out again), so cursor
 * pages seek by binary search.
 */
export class UserStore {
  readonly ordered: UserRecord[] = [];
  private readonly byId = new Map<number, UserRecord>();
  private readonly byEmail = new Map<string, UserRecord>();
  private readonly byExternalId = new Map<string, UserRecord>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  /** Marks a user changed (for the state file) after editing it in place. */
  touch(user: UserRecord): void {
    this.changes.put('user', user.id, user);
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): UserRecord | undefined {
    return this.byId.get(id);
  }

  findByEmail(email: string): UserRecord | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  findByExternalId(externalId: string): UserRecord | undefined {
    return this.byExternalId.get(externalId.toLowerCase());
  }

  insert(user: UserRecord): void {
    if (this.byId.has(user.id)) throw new Error(`user id ${user.id} is taken`);
    const last = this.ordered[this.ordered.length - 1];
    if (!last || last.id < user.id) this.ordered.push(user);
    else this.ordered.splice(this.indexAfter(user.id), 0, user);
    this.byId.set(user.id, user);
    this.changes.put('user', user.id, user);
    for (const identity of user.identities) if (identity.type === 'email') this.indexEmail(identity.value, user);
    if (user.externalId !== null) this.byExternalId.set(user.externalId.toLowerCase(), user);
  }

  indexEmail(email: string, user: UserRecord): void {
    this.byEmail.set(email.toLowerCase(), user);
  }

  unindexEmail(email: string): void {
    this.byEmail.delete(email.toLowerCase());
  }

  setExternalId(user: UserRecord, externalId: string | null): void {
    if (user.externalId !== null && this.byExternalId.get(user.externalId.toLowerCase()) === user) {
      this.byExternalId.delete(user.externalId.toLowerCase());
    }
    user.externalId = externalId;
    if (externalId !== null) this.byExternalId.set(externalId.toLowerCase(), user);
  }

  /** Frees a soft-deleted user's email and external_id so they can be reused. */
  unindexAll(user: UserRecord): void {
    for (const identity of user.identities) {
      if (identity.type === 'email' && this.findByEmail(identity.value) === user) this.unindexEmail(identity.value);
    }
    if (user.externalId !== null && this.findByExternalId(user.externalId) === user) {
      this.byExternalId.delete(user.externalId.toLowerCase());
    }
  }

  /** Removes a user entirely (permanent deletion). */
  remove(user: UserRecord): void {
    this.unindexAll(user);
    this.byId.delete(user.id);
    this.changes.gone('user', user.id);
    const at = this.indexAfter(user.id - 1);
    if (this.ordered[at] === user) this.ordered.splice(at, 1);
  }

  /** Removes many users at once (one pass over the ordered list). */
  removeMany(users: readonly UserRecord[]): void {
    const gone = new Set(users);
    for (const u of users) {
      this.unindexAll(u);
      this.byId.delete(u.id);
      this.changes.gone('user', u.id);
    }
    const kept = this.ordered.filter((u) => !gone.has(u));
    this.ordered.length = 0;
    for (const x of kept) this.ordered.push(x);
  }

  /** Index of the first user whose id is greater than `id`. */
  indexAfter(id: number): number {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.ordered[mid] as UserRecord).id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
