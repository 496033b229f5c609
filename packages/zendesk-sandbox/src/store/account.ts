import { FaultState } from '../faults/faults.ts';
import { WindowCounter } from '../limits/window-counter.ts';
import { GroupStore } from './groups.ts';
import type { AccountChanges, ChangeSet } from './changes.ts';
import type { IdSource } from './ids.ts';
import { JobRunner } from './jobs.ts';
import { MembershipStore } from './memberships.ts';
import { OAuthStore, type OAuthSettings } from './oauth.ts';
import { OrganizationStore } from './organizations.ts';
import type { Pace } from './pace.ts';
import type { Plan } from './plan.ts';
import { RoleStore } from './roles.ts';
import { defaultSso, newSsoMemory, type SsoMemory, type SsoSettings } from './sso.ts';
import type { UserFieldRecord } from './user-fields.ts';
import { UserStore } from './users.ts';
import { WriteLog } from './write-log.ts';

/** Request counters reported by the snapshot. */
export interface Counters {
  requests: number;
  byStatus: Record<string, number>;
  rateLimited: number;
  faultsInjected: number;
  dropped: number;
}

/** Credentials a new account is seeded with; returned by the control API. */
export interface AccountCredentials {
  adminEmail: string;
  adminPassword: string;
  apiToken: string;
  oauthClientId: string;
  oauthClientSecret: string;
}

/** One emulated Zendesk account with all of its state. */
export interface Account {
  readonly subdomain: string;
  plan: Plan;
  pace: Pace;
  oauthSettings: OAuthSettings;
  readonly credentials: AccountCredentials;
  /** The sandbox-wide id source (shared by every account). */
  readonly ids: IdSource;
  /** Public-API writes, for tests that check what a client changed (`GET /__sandbox/accounts/{sub}/writes`). */
  readonly writes: WriteLog;
  /** Ids the next created users take again — filled only by the `forget-users` fault with `reuseIds`. */
  readonly reuseUserIds: number[];
  /** Where edits are reported for the state file (a no-op without one). */
  readonly changes: AccountChanges;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly memberships: MembershipStore;
  readonly roles: RoleStore;
  readonly organizations: OrganizationStore;
  readonly userFields: UserFieldRecord[];
  readonly oauth: OAuthStore;
  readonly apiTokens: Set<string>;
  readonly jobs: JobRunner;
  readonly faults: FaultState;
  readonly budgets: {
    readonly account: WindowCounter;
    readonly perUser: WindowCounter;
    readonly incremental: WindowCounter;
    /** Permanent user deletion: 700 per 10 minutes. */
    readonly purge: WindowCounter;
  };
  readonly counters: Counters;
  ownerId: number;
  /** Browser sessions (sign-in page, SSO): session id → user id. */
  readonly sessions: Map<string, { userId: number; csrf: string }>;
  /** Single sign-on settings (control API `…/sso`), kept in the state file. */
  sso: SsoSettings;
  /** Replay guards of the SSO endpoints (memory only). */
  readonly ssoMemory: SsoMemory;
  readonly createdAt: string;
}

/** The id for a new user: a forgotten one while the reuse fault is armed, else a fresh one. */
export function takeUserId(account: Account): number {
  return account.reuseUserIds.shift() ?? account.ids.take();
}

export function emptyCounters(): Counters {
  return { requests: 0, byStatus: {}, rateLimited: 0, faultsInjected: 0, dropped: 0 };
}

/** What every account of one sandbox shares: the id sequence and the state file's change set. */
export interface SandboxShared {
  readonly ids: IdSource;
  readonly changes: ChangeSet;
}

/** Allocates the empty stores; `createAccount` (or the state file) fills them. */
export function allocateAccount(subdomain: string, plan: Plan, pace: Pace, oauthSettings: OAuthSettings, credentials: AccountCredentials, now: string, shared: SandboxShared): Account {
  const faults = new FaultState();
  const changes = shared.changes.forAccount(subdomain);
  const account: Account = {
    subdomain,
    plan,
    pace,
    oauthSettings,
    credentials,
    ids: shared.ids,
    writes: new WriteLog(),
    reuseUserIds: [],
    changes,
    users: new UserStore(changes),
    groups: new GroupStore(changes),
    memberships: new MembershipStore(changes),
    roles: new RoleStore(changes),
    organizations: new OrganizationStore(changes),
    userFields: [],
    oauth: new OAuthStore(changes),
    apiTokens: new Set([credentials.apiToken]),
    jobs: new JobRunner({ pace: () => account.pace, shouldFail: () => faults.jobShouldFail(), changed: (job) => changes.put('job', job.id, job) }),
    faults,
    budgets: { account: new WindowCounter(), perUser: new WindowCounter(), incremental: new WindowCounter(), purge: new WindowCounter(600_000) },
    counters: emptyCounters(),
    ownerId: 0,
    sessions: new Map(),
    sso: defaultSso(),
    ssoMemory: newSsoMemory(),
    createdAt: now,
  };
  return account;
}
