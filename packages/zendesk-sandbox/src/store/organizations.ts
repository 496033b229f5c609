import { NO_CHANGES, type AccountChanges } from './changes.ts';
/** A minimal organization (API-NOTES §9): enough for `organization: {name}` and the list. */
export interface OrganizationRecord {
  id: number;
  name: string;
  externalId: string | null;
  createdAt: string;
  updatedAt: string;
}

export class OrganizationStore {
  readonly ordered: OrganizationRecord[] = [];
  private readonly byId = new Map<number, OrganizationRecord>();
  private readonly byName = new Map<string, OrganizationRecord>();

  constructor(private readonly changes: AccountChanges = NO_CHANGES) {}

  get(id: number): OrganizationRecord | undefined {
    return this.byId.get(id);
  }

  findByName(name: string): OrganizationRecord | undefined {
    return this.byName.get(name.toLowerCase());
  }

  insert(org: OrganizationRecord): void {
    this.ordered.push(org);
    this.byId.set(org.id, org);
    this.byName.set(org.name.toLowerCase(), org);
    this.changes.put('org', org.id, org);
  }
}
