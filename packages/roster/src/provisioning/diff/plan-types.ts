/**
 * The values the engine plans with. All are plain JSON so that a plan can be shown (dry run),
 * stored and logged as it is.
 */
import type { TargetUserInput } from '../../connectors/contract.ts';

/** What one directory user should look like in the target. */
export interface DesiredUser {
  directoryId: string;
  /** As the log shows the user: the directory email. */
  identity: string;
  externalId: string;
  roleKey: string;
  /** Directory inactive → suspended in the target. */
  suspended: boolean;
  /** Mappings that apply always, by target field key (`external_id` excluded: see `externalId`). */
  attributes: Record<string, unknown>;
  /** Mappings that apply only when the account is created. */
  createAttributes: Record<string, unknown>;
  /** Hash of `attributes` + `roleKey` + `externalId`, compared with the link's. */
  hash: string;
  /**
   * The directory row's version this was rendered from. An account matched by email (not by the
   * external id) is claimed only while the row is still at this version (apply/stale-claims.ts).
   */
  version?: number;
}

/** A user in scope that must not be provisioned, and why (e.g. Default Access, a mapping error). */
export interface SkippedUser {
  directoryId: string;
  identity: string;
  code: string;
  reason: string;
  /** Skips that are errors (a mapping that does not render) are logged as failed, not skipped. */
  failed?: boolean;
}

/** A candidate the scoping filters leave out, and why in words. */
export interface OutOfScopeUser {
  directoryId: string;
  identity: string;
  /** "clause department equals Sales was false" (words/words.ts `outOfScopeReason`). */
  reason: string;
  /**
   * Logged as a skip when nothing else is planned for the user: true for users assigned (directly
   * or through a group) and for any user an incremental run names. Users that only scope `all`
   * makes candidates are left out silently by full cycles, or a filter for one department would log
   * every other employee at every cycle.
   */
  log: boolean;
}

/** What the engine last confirmed for one user (a `links` row). */
export interface UserLink {
  directoryId: string;
  targetId: string;
  lastHash: string | null;
  lastWritten: WrittenState | null;
  /** `provisioned` | `suspended` | `linked` */
  state: string;
}

/** What a link remembers was written: the basis of "only changed fields" and of old → new. */
export interface WrittenState {
  externalId: string;
  roleKey: string;
  suspended: boolean;
  attributes: Record<string, unknown>;
}

/**
 * What the link records once the target confirms an action: only what was sent or already held, so
 * a change held back (e.g. the update sync action off) is still pushed once it is allowed.
 */
export interface Confirmed {
  written: WrittenState | null;
  /** `DesiredUser.hash` when `written` is the whole desired state, else null (compared field by field). */
  hash: string | null;
  /** Whether the account is suspended after the action. */
  suspended: boolean;
}

export interface PlanStep {
  name: 'scope' | 'match' | 'action';
  outcome: string;
  detail?: string;
}

export interface PropertyChange {
  property: string;
  old: unknown;
  new: unknown;
}

/** How to look an account up before creating one, when the plan had no snapshot of the target. */
/**
 * A user of an incremental scope who is neither desired nor linked (unassigned, deactivated out of
 * scope, deleted): an account of theirs may still exist, created by a run that died before writing
 * its link. What the lookup needs: the external id a create would have written, and the email.
 */
export interface AbsentUser {
  directoryId: string;
  identity: string;
  externalId: string;
  email: string | null;
}

export interface MatchProbe {
  field: string;
  value: string;
}

interface ActionBase {
  directoryId: string;
  identity: string;
  steps: PlanStep[];
  /**
   * The user's link failed the identity check (links/identity-check.ts): apply drops it and logs
   * `link_mismatch` with both identities before this action, which is the user matched again.
   */
  mismatch?: LinkMismatch | undefined;
  /**
   * What the account the action writes must still prove just before the write (the plan checked it
   * when it read the target; a run can take minutes): apply reads the accounts again, one request per
   * chunk, and an account that no longer proves it is a link_mismatch, never written.
   */
  claim?: LinkClaim | undefined;
}

/** What a link (or a match) says the account is: the evidence the identity check asks of it. */
export interface LinkClaim {
  targetId: string;
  /** External ids the account may hold: the last one written and the one the directory wants now. */
  externalIds: readonly string[];
  /** Matching attributes other than the external id (e.g. email), for accounts whose external id was never written. */
  matchValues: readonly { field: string; value: string }[];
}

/** Old → new of each property the action changes, as the log shows them (`changesOf` reads any action's). */
interface Changing {
  changes: PropertyChange[];
}

export type PlanAction =
  | (ActionBase & {
      kind: 'create';
      input: TargetUserInput;
      /** Lookups the apply step makes first (in order); a hit turns the create into a link. */
      probes: MatchProbe[];
      desired: DesiredUser;
      /**
       * Not kept: a create's changes are everything it sends, from nothing, so they are derived from
       * `input` when shown or logged (`changesOf`); an initial cycle's plan holds a create per user.
       */
      changes?: undefined;
    })
  | (ActionBase & Changing & { kind: 'link'; targetId: string; patch: Partial<TargetUserInput>; desired: DesiredUser })
  | (ActionBase & Changing & { kind: 'update' | 'suspend' | 'unsuspend'; targetId: string; patch: Partial<TargetUserInput>; desired: DesiredUser; confirms: Confirmed })
  /** Deprovisioning: `delete`, or `suspend` with `deprovision` when settings say suspend instead. */
  | (ActionBase & Changing & { kind: 'delete'; targetId: string })
  | (ActionBase & Changing & { kind: 'deprovision-suspend'; targetId: string; patch: Partial<TargetUserInput>; written: WrittenState | null })
  | (ActionBase & Changing & { kind: 'skip'; code: string; reason: string; failed: boolean })
  /** Managed fields changed by hand in the target, with `drift: 'report'`: logged (old → new), nothing sent. */
  | (ActionBase & Changing & { kind: 'drift'; targetId: string })
  /** A link that failed the identity check, with nothing else to do for the user: dropped and logged, nothing sent. */
  | (ActionBase & Changing & { kind: 'unlink'; targetId: string; mismatch: LinkMismatch })
  /**
   * An unlinked user who must be suspended or deprovisioned, planned without a read of the target:
   * apply looks the account up first (`probes`, external id first). An account that proves to be the
   * user's is linked and acted on; none is a skip the target confirmed; a failed lookup fails (escrow).
   */
  | (ActionBase & Changing & {
      kind: 'find';
      probes: MatchProbe[];
      then: 'suspend' | 'deprovision-suspend' | 'delete';
      desired: DesiredUser | null;
      written: WrittenState | null;
      /** Why the user is removed (e.g. the scoping clause that was false): the log says it when nothing is found. */
      why?: string;
    });

export type PlanActionKind = PlanAction['kind'];

export interface Plan {
  actions: PlanAction[];
  /** Users in scope whose target account already matches. */
  unchanged: number;
}

/** One side of a mismatch, as the event shows it. */
export interface AccountFacts {
  targetId: string;
  externalId: string | null;
  email: string | null;
}

export type MismatchReason = 'missing' | 'deleted' | 'external_id' | 'no_evidence';

export interface LinkMismatch {
  reason: MismatchReason;
  /** What the link expected. */
  expected: AccountFacts;
  /** What the target holds at that id (null: no account there). */
  held: (AccountFacts & { active: boolean }) | null;
}
