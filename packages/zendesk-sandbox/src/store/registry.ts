import type { Account } from './account.ts';
import type { AccountOptions } from './account-options.ts';
import { createAccount } from './seed-account.ts';

/** All accounts of one sandbox process; the default one is also served at the root path. */
export class AccountRegistry {
  private readonly accounts = new Map<string, Account>();
  private readonly defaultSub: string;
  /** The default account's options with generated credentials pinned, so reset keeps them. */
  private readonly defaultOptions: AccountOptions;

  constructor(options: AccountOptions) {
    this.defaultSub = options.subdomain;
    const account = createAccount(options);
    this.defaultOptions = { ...options, ...account.credentials };
    this.add(account);
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

  /** Drops every account and recreates the default one with the same credentials. */
  reset(): void {
    for (const a of this.accounts.values()) a.jobs.close();
    this.accounts.clear();
    this.add(createAccount(this.defaultOptions));
  }

  close(): void {
    for (const a of this.accounts.values()) a.jobs.close();
  }
}
