/**
 * Trust the target, not memory (DESIGN §3.6): a link is a claim that a target account belongs to a
 * directory user. Before anything is written to a linked account, the account as the target answers
 * it now must prove the claim: its external id is one the engine wrote (or would write) for the
 * user, or, for an account linked by a matching attribute before its external id was written, that
 * attribute still matches. Anything else (gone, deleted, another external id, no external id and
 * another email) is a mismatch: nothing is written, the link is dropped and the user matched again.
 * Pure: the caller reads the account (a full cycle's snapshot, or one read per 100 accounts).
 */
import type { TargetUser } from '../../connectors/contract.ts';
import type { AccountFacts, DesiredUser, LinkClaim, LinkMismatch, MismatchReason, UserLink } from '../diff/plan-types.ts';

export type { AccountFacts, LinkClaim, LinkMismatch, MismatchReason } from '../diff/plan-types.ts';

export type IdentityVerdict = { ok: true; by: string } | ({ ok: false } & LinkMismatch);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const heldValue = (t: TargetUser, field: string): string | null => text(field === 'email' ? t.email : t.attributes[field]);

export function checkIdentity(claim: LinkClaim, account: TargetUser | null | undefined): IdentityVerdict {
  const expected: AccountFacts = { targetId: claim.targetId, externalId: claim.externalIds[0] ?? null, email: claim.matchValues.find((m) => m.field === 'email')?.value ?? null };
  if (!account || account.id !== claim.targetId) return { ok: false, reason: 'missing', expected, held: null };
  const held = { targetId: account.id, externalId: account.externalId, email: account.email, active: account.active };
  if (!account.active) return { ok: false, reason: 'deleted', expected, held };
  const externalId = text(account.externalId);
  if (externalId !== null) return claim.externalIds.some((e) => same(e, externalId)) ? { ok: true, by: 'external_id' } : { ok: false, reason: 'external_id', expected, held };
  for (const m of claim.matchValues) {
    const value = heldValue(account, m.field);
    if (value !== null && same(value, m.value)) return { ok: true, by: m.field };
  }
  return { ok: false, reason: 'no_evidence', expected, held };
}

/**
 * The claim of a link, from what it last wrote and (when the user is still desired) what the
 * directory wants now; the directory id, Roster's default external id, always counts.
 */
export function claimOf(link: UserLink, desired: DesiredUser | undefined, matching: readonly string[]): LinkClaim {
  const externalIds = [...new Set([link.lastWritten?.externalId, desired?.externalId, link.directoryId].filter((e): e is string => typeof e === 'string' && e !== ''))];
  const matchValues: { field: string; value: string }[] = [];
  for (const field of matching) {
    if (field === 'external_id') continue;
    for (const v of [text(link.lastWritten?.attributes[field]), text(desired?.attributes[field])]) {
      if (v !== null && !matchValues.some((m) => m.field === field && same(m.value, v))) matchValues.push({ field, value: v });
    }
  }
  return { targetId: link.targetId, externalIds, matchValues };
}

/**
 * The claim of an account matched by the matching order (not linked yet): still the account the plan
 * matched — the external id it held then (another system's counts: the admin chose to match by
 * email), the user's own, or, with none, the matching values.
 */
export function matchClaimOf(d: DesiredUser, target: { id: string; externalId: string | null }, matching: readonly string[]): LinkClaim {
  const matchValues = matching.filter((f) => f !== 'external_id').flatMap((field) => {
    const v = text(d.attributes[field]);
    return v === null ? [] : [{ field, value: v }];
  });
  const held = text(target.externalId);
  return { targetId: target.id, externalIds: [...new Set([d.externalId, d.directoryId, ...(held === null ? [] : [held])])], matchValues };
}

const REASONS: Record<MismatchReason, string> = {
  missing: 'there is no account with that id in the target',
  deleted: 'the account with that id is deleted',
  external_id: 'the account holds another external id',
  no_evidence: 'the account has no external id and its matching attributes differ',
};

const describeFacts = (f: AccountFacts | null): string => (f === null ? 'nothing' : `external id ${f.externalId ?? '(none)'}, email ${f.email ?? '(none)'}`);

/** The admin's words for a mismatch: both identities, and what the engine did about it. */
export function mismatchMessage(m: LinkMismatch): string {
  return `The link named target account ${m.expected.targetId}, but ${REASONS[m.reason]}: expected ${describeFacts(m.expected)}, the target holds ${describeFacts(m.held)}. Nothing was written to it; the link was dropped and the user matched again.`;
}

export const MISMATCH_ADVICE =
  'None needed for this user: Roster matched them again. If many users show this, the application may point at another or a reset account: check the connection.';
