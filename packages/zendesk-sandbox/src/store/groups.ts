import { NO_CHANGES, type AccountChanges } from './changes.ts';
/** A group (API-NOTES §4). Deleting is soft: `deleted:true`, hidden from lists. */
export interface GroupRecord {
  id: number;
  name: string;
  description: string;
  default: boolean;
  deleted: boolean;
  isPublic: boolean;
  createdAt: string;
  updatedAt: string;
}

/** Groups in id order. */
export class GroupStore {
  readonly ordered: GroupRecord[] = [];
  private readonly byId = new Map<number, GroupRecord>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  insert(group: GroupRecord): void {
    this.ordered.push(group);
    this.byId.set(group.id, group);
    this.changes.put('group', group.id, group);
  }

  /** Marks a group changed after editing it in place. */
  touch(group: GroupRecord): void {
    this.changes.put('group', group.id, group);
  }

  /** A live (not deleted) group. */
  get(id: number): GroupRecord | undefined {
    const group = this.byId.get(id);
    return group && !group.deleted ? group : undefined;
  }

  live(): GroupRecord[] {
    return this.ordered.filter((g) => !g.deleted);
  }

  defaultGroup(): GroupRecord | undefined {
    return this.ordered.find((g) => g.default && !g.deleted);
  }
}
