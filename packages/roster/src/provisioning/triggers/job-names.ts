import type PgBoss from 'pg-boss';

/** The engine's pg-boss queues. Every one is registered in src/runtime/job-handlers.ts. */
export const provisioningQueues = {
  /** A full reconcile of one application: `{ applicationId, kind }`. */
  cycle: 'provisioning.cycle',
  /** A small plan for the users a directory change touched: `{ applicationId, userIds }`. */
  sync: 'provisioning.sync',
  /**
   * The same for a few users changed by small transactions (the relay's quick lane): worked beside
   * `sync`, so a change made during a burst does not wait for it (run/lanes.ts).
   */
  syncQuick: 'provisioning.sync.quick',
  /** Reads the outbox after the cursor and turns it into sync jobs. */
  relay: 'provisioning.relay',
  /** Every minute: due periodic cycles, due retries, lost cycles, and keeps the relay alive. */
  tick: 'provisioning.tick',
} as const;

export type CycleKind = 'initial' | 'periodic' | 'on_demand';

export interface CycleJobData {
  applicationId: string;
  kind: CycleKind;
}

export interface SyncJobData {
  applicationId: string;
  userIds: string[];
  /** Directory groups whose target group or memberships may have to change (groups, group members, group assignments). */
  groupIds?: string[];
}

/**
 * Every sync job's options. A job lost with its worker is sent again within seconds by its claim
 * (jobs/claims.ts); pg-boss's expiry is only the backstop, so it is short (a re-run re-plans from
 * the links: a second run of the same users finds nothing left to do).
 */
export const syncJobOptions = { retryLimit: 10, retryDelay: 5, expireInMinutes: 5 } as const satisfies PgBoss.SendOptions;

/** Every cycle job's options: a cycle outlives pg-boss's default expiry on big accounts; a lost one is sent again by its claim or re-requested by its lease. */
export const cycleJobOptions = { expireInHours: 12, retryLimit: 3, retryDelay: 10, retryBackoff: true } as const satisfies PgBoss.SendOptions;

/** At most one queued relay job per 5-second slot, so parallel chains (and every worker's watchdog) merge instead of multiplying. */
export const relayJobOptions: PgBoss.SendOptions = { singletonKey: 'relay', singletonSeconds: 5, singletonNextSlot: true, expireInSeconds: 60, retryLimit: 0 };
