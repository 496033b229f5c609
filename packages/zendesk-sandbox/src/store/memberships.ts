import { NO_CHANGES, type AccountChanges } from './changes.ts';
/** A group membership (API-NOTES §4): only agents and admins, one `default:true` per agent. */
export interface MembershipRecord {
  id: number;
  userId: number;
  groupId: number;
  default: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Memberships in id order with per-user and per-group indexes. */
export class MembershipStore {
  readonly ordered: MembershipRecord[] = [];
  private readonly byId = new Map<number, MembershipRecord>();
  private readonly byUser = new Map<number, MembershipRecord[]>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  get(id: number): MembershipRecord | undefined {
    return this.byId.get(id);
  }

  forUser(userId: number): MembershipRecord[] {
    return this.byUser.get(userId) ?? [];
  }

  forGroup(groupId: number): MembershipRecord[] {
    return this.ordered.filter((m) => m.groupId === groupId);
  }

  find(userId: number, groupId: number): MembershipRecord | undefined {
    return this.forUser(userId).find((m) => m.groupId === groupId);
  }

  defaultGroupId(userId: number): number | null {
    return this.forUser(userId).find((m) => m.default)?.groupId ?? null;
  }

  insert(m: MembershipRecord): void {
    this.ordered.push(m);
    this.byId.set(m.id, m);
    this.changes.put('membership', m.id, m);
    const list = this.byUser.get(m.userId);
    if (list) list.push(m);
    else this.byUser.set(m.userId, [m]);
  }

  /** Removes one membership; if it was the default, the user's oldest remaining one becomes default. */
  remove(m: MembershipRecord): void {
    this.byId.delete(m.id);
    this.changes.gone('membership', m.id);
    const at = this.ordered.indexOf(m);
    if (at >= 0) this.ordered.splice(at, 1);
    const list = (this.byUser.get(m.userId) ?? []).filter((x) => x !== m);
    if (list.length === 0) this.byUser.delete(m.userId);
    else {
      this.byUser.set(m.userId, list);
      if (m.default && !list.some((x) => x.default)) {
        const next = list[0] as MembershipRecord;
        next.default = true;
        this.changes.put('membership', next.id, next);
      }
    }
  }

  removeUser(userId: number): void {
    for (const m of [...this.forUser(userId)]) this.remove(m);
  }

  /** Drops every membership of these users (one pass). */
  removeUsers(userIds: ReadonlySet<number>): void {
    const kept = this.ordered.filter((m) => !userIds.has(m.userId));
    for (const m of this.ordered) {
      if (!userIds.has(m.userId)) continue;
      this.byId.delete(m.id);
      this.changes.gone('membership', m.id);
    }
    this.ordered.length = 0;
    for (const x of kept) this.ordered.push(x);
    for (const id of userIds) this.byUser.delete(id);
  }

  makeDefault(m: MembershipRecord, now: string): void {
    for (const other of this.forUser(m.userId)) {
      if (other.default !== (other === m)) {
        other.default = other === m;
        other.updatedAt = now;
        this.changes.put('membership', other.id, other);
      }
    }
  }
}
