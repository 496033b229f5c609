import type { Account } from './account.ts';
import type { AccountOptions } from './account-options.ts';
import type { SandboxShared } from './account.ts';
import { ChangeSet } from './changes.ts';
import { IdSource } from './ids.ts';
import { createAccount } from './seed-account.ts';
import type { StateReport } from '../persist/state-file.ts';

/** All accounts of one sandbox process; the default one is also served at the root path. */
export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();
  private readonly defaultSub: string;
  /** The default account's options with generated credentials pinned, so reset keeps them. */
  readonly defaultOptions: AccountOptions;
  /** What the state file held at start (null in memory-only mode), for `GET /__sandbox/state`. */
  stateReport: StateReport | null = null;
  /** One id sequence for every account (a reset or new account never sees an id again) and the state file's change set. */
  readonly shared: SandboxShared;

  /** `restore` (from a state file) brings accounts back; the default account is seeded only when missing. */
  constructor(options: AccountOptions, restore?: { shared: SandboxShared; accounts: Account[] }) {
    this.defaultSub = options.subdomain;
    this.shared = restore?.shared ?? { ids: new IdSource(), changes: new ChangeSet() };
    for (const a of restore?.accounts ?? []) this.add(a);
    const existing = this.accounts.get(this.defaultSub);
    const account = existing ?? createAccount(options, this.shared);
    this.defaultOptions = { ...options, ...account.credentials };
    if (!existing) this.add(account);
  }

  get(sub: string): Account | undefined {
    return this.accounts.get(sub);
  }

  get ids(): IdSource {
    return this.shared.ids;
  }

  get default(): Account {
    return this.accounts.get(this.defaultSub) as Account;
  }

  list(): Account[] {
    return [...this.accounts.values()];
  }

  add(account: Account): void {
    this.accounts.set(account.subdomain, account);
  }

  /** Drops every account and recreates the default one with the same credentials (and new ids). */
  reset(): void {
    for (const a of this.accounts.values()) a.jobs.close();
    this.accounts.clear();
    this.shared.changes.reset();
    this.add(createAccount(this.defaultOptions, this.shared));
  }

  close(): void {
    for (const a of this.accounts.values()) a.jobs.close();
  }
}
