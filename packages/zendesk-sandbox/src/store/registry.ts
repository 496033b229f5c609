import type { Account } from './account.ts';
import type { AccountOptions } from './account-options.ts';
import { IdSource } from './ids.ts';
import { createAccount } from './seed-account.ts';

/** All accounts of one sandbox process; the default one is also served at the root path. */
export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();
  private readonly defaultSub: string;
  /** The default account's options with generated credentials pinned, so reset keeps them. */
  readonly defaultOptions: AccountOptions;
  /** One id sequence for every account: a reset or new account never sees an id again. */
  readonly ids: IdSource;

  /** `restored` accounts (from a state file) replace seeding the default account when they include it. */
  constructor(options: AccountOptions, restore?: { ids: IdSource; accounts: Account[] }) {
    this.defaultSub = options.subdomain;
    this.ids = restore?.ids ?? new IdSource();
    for (const a of restore?.accounts ?? []) this.add(a);
    const existing = this.accounts.get(this.defaultSub);
    const account = existing ?? createAccount(options, this.ids);
    this.defaultOptions = { ...options, ...account.credentials };
    if (!existing) this.add(account);
  }

  get(sub: string): Account | undefined {
    return this.accounts.get(sub);
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
    this.add(createAccount(this.defaultOptions, this.ids));
  }

  close(): void {
    for (const a of this.accounts.values()) a.jobs.close();
  }
}
