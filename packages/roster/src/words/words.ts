/**
 * Words for people (STYLE 14): the one map from the engine's codes to an admin's words. Codes stay
 * codes in the API; the web UI (packages/web/src/lib/words.ts re-exports this file) and the CLI's
 * tables translate every provisioning action, event status, cycle kind, count, plan kind, skip and
 * error code through here. This file imports only the connectors' words (connectors/code-words.ts, which
 * import nothing), so the browser bundle can take it as it is.
 * words.test.ts fails when a code the server can emit has no words.
 */
import { connectorCodeWords } from '../connectors/code-words.ts';

/** `any`: an action named for users and groups alike (the log's action filter). */
const objectWords: Record<string, string> = { user: 'user', group: 'group', membership: 'membership', any: 'user or group' };

/** Provisioning event actions and plan action kinds (users and groups); `{object}` is the object's word. */
export const actionWords = {
  create: 'Create {object}',
  update: 'Update {object}',
  suspend: 'Suspend {object}',
  unsuspend: 'Unsuspend {object}',
  delete: 'Delete {object}',
  'deprovision-suspend': 'Suspend {object} (no longer assigned)',
  link: 'Link {object} to the existing account',
  find: 'Look up {object} in the target before acting',
  unlink: 'Stop managing {object}',
  skip: 'Skip {object}',
  import: 'Import {object} into the directory',
  sign_in: 'Sign {object} in (single sign-on)',
  drift: 'Report a change made in the target',
  report: 'Report a change made in the target',
  add_member: 'Add member',
  link_member: 'Take over existing member',
  remove_member: 'Remove member',
} as const satisfies Record<string, string>;

/** "Create group", "Add member"; an unknown action (a newer server) reads as itself. */
export function actionSentence(action: string, objectType = 'user'): string {
  const words = (actionWords as Record<string, string>)[action];
  return words ? words.replace('{object}', objectWords[objectType] ?? objectType) : action;
}

export const eventStatusWords = { success: 'Succeeded', failed: 'Failed', skipped: 'Skipped' } as const satisfies Record<string, string>;

export const cycleKindWords = { initial: 'Initial', periodic: 'Periodic', on_demand: 'On demand', incremental: 'Change-driven' } as const satisfies Record<string, string>;
export const cycleStatusWords = { running: 'Running', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' } as const satisfies Record<string, string>;

export const planKindWords = { dry_run: 'Dry run', approval: 'Waiting for approval', staged_deletions: 'Staged deletions' } as const satisfies Record<string, string>;
export const planStatusWords = {
  computing: 'Computing',
  ready: 'Ready',
  pending: 'Waiting for a decision',
  approved: 'Approved',
  discarded: 'Discarded',
  applied: 'Applied',
  superseded: 'Replaced by a newer plan',
  failed: 'Failed',
} as const satisfies Record<string, string>;

/** An import from the target (Import tab): the session's state, and each chosen user's. */
export const importStatusWords = {
  reading: 'Reading the accounts',
  classified: 'Ready to choose',
  applying: 'Importing',
  applied: 'Imported',
  failed: 'Failed',
  cancelled: 'Cancelled',
} as const satisfies Record<string, string>;
export const importItemStatusWords = { pending: 'Waiting', applied: 'Imported', failed: 'Failed' } as const satisfies Record<string, string>;

/** A failure notification's delivery (the Overview's Health card). */
export const notificationStatusWords = { queued: 'waiting to be sent', sent: 'sent', failed: 'not sent', not_configured: 'not sent' } as const satisfies Record<string, string>;

/** What one unit of each cycle count is, singular and plural ("1 user created", "3 members added"). */
export const countWords = {
  created: ['user created', 'users created'],
  updated: ['user updated', 'users updated'],
  unchanged: ['user unchanged', 'users unchanged'],
  suspended: ['user suspended', 'users suspended'],
  unsuspended: ['user unsuspended', 'users unsuspended'],
  deleted: ['user deleted', 'users deleted'],
  linked: ['user linked', 'users linked'],
  skipped: ['skipped', 'skipped'],
  failed: ['failed', 'failed'],
  groupsCreated: ['group created', 'groups created'],
  groupsUpdated: ['group updated', 'groups updated'],
  groupsDeleted: ['group deleted', 'groups deleted'],
  groupsLinked: ['group linked', 'groups linked'],
  groupsUnlinked: ['group no longer managed', 'groups no longer managed'],
  membersAdded: ['member added', 'members added'],
  membersLinked: ['member taken over', 'members taken over'],
  membersRemoved: ['member removed', 'members removed'],
  driftReported: ['change in the target reported', 'changes in the target reported'],
} as const satisfies Record<string, readonly [string, string]>;

const countOrder = Object.keys(countWords);

/** "2 groups created, 3 members added, 0 failed": non-zero counts in a fixed order, failures always shown. */
export function countsSentence(counts: Record<string, number>): string {
  const keys = [...countOrder.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !countOrder.includes(k)).sort()];
  const parts = keys
    .filter((k) => (counts[k] ?? 0) > 0 || k === 'failed')
    .map((k) => {
      const n = counts[k] ?? 0;
      const w = (countWords as Record<string, readonly [string, string]>)[k];
      return `${n} ${w ? w[n === 1 ? 0 : 1] : k}`;
    });
  return parts.length ? parts.join(', ') : 'nothing to do';
}

/** A plan's counts (by action kind, plus `unchanged`): "Create user: 3, Delete user: 200, unchanged: 12". */
export function planCountsSentence(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k === 'unchanged' ? 'unchanged' : actionSentence(k)}: ${n}`);
  return parts.length ? parts.join(', ') : 'nothing to do';
}

/** What an audit entry records, as an admin says it (the audit log's Action column). */
export const auditActionWords = {
  'admin.bootstrap': 'First owner created',
  'admin.create': 'Admin added',
  'admin.delete': 'Admin removed',
  'admin.ownership.transfer': 'Ownership transferred',
  'admin.password.reset': 'Admin password reset',
  'admin.refused': 'Admin change refused',
  'admin.token.create': 'API token created',
  'admin.token.revoke': 'API token revoked',
  'admin.update': 'Admin changed',
  'app.create': 'Application added',
  'app.delete': 'Application removed',
  'app.update': 'Application changed',
  'assignment.bulk': 'Users or groups assigned',
  'assignment.create': 'Assigned',
  'assignment.delete': 'Unassigned',
  'assignment.update': 'Assignment role changed',
  'attribute.create': 'Custom attribute added',
  'attribute.delete': 'Custom attribute removed',
  'attribute.update': 'Custom attribute changed',
  'audit.export': 'Audit log exported',
  'group.create': 'Group created',
  'group.delete': 'Group deleted',
  'group.member.add': 'Group member added',
  'group.member.remove': 'Group member removed',
  'group.update': 'Group changed',
  'import.session.cancel': 'Import from the application cancelled',
  'import.session.confirm': 'Import from the application confirmed',
  'import.session.start': 'Import from the application started',
  'provisioning.connection.update': 'Connection saved',
  'provisioning.cycle.request': 'Full cycle requested',
  'provisioning.dry_run': 'Dry run',
  'provisioning.escrow.retry': 'Retry requested',
  'provisioning.log.export': 'Provisioning log exported',
  'provisioning.oauth.connect': 'Connected with OAuth',
  'provisioning.oauth.start': 'OAuth authorization started',
  'provisioning.on_demand': 'Provisioned on demand',
  'provisioning.plan.approve': 'Plan approved',
  'provisioning.plan.allow': 'Staged deletions allowed',
  'provisioning.plan.discard': 'Plan discarded',
  'provisioning.plan.export': 'Plan exported',
  'provisioning.restart': 'Provisioning restarted',
  'provisioning.settings.update': 'Provisioning settings saved',
  'session.create': 'Signed in',
  'session.delete': 'Signed out',
  'session.failed': 'Sign-in refused',
  'session.password.change': 'Password changed',
  'session.password.failed': 'Password change refused',
  'user.activate': 'User activated',
  'user.create': 'User created',
  'user.deactivate': 'User deactivated',
  'user.delete': 'User deleted',
  'user.update': 'User changed',
  'portal.session.create': 'Signed in to the portal',
  'portal.session.failed': 'Portal sign-in refused',
  'portal.session.delete': 'Portal session ended',
  'portal.password.reset_requested': 'Password reset requested',
  'portal.passkey.add': 'Passkey added',
  'portal.passkey.remove': 'Passkey removed',
  'portal.totp.enrol': 'Authenticator app set up',
  'portal.totp.remove': 'Authenticator app removed',
  'settings.sign_in.update': 'Sign-in policy changed',
  'sso.settings.update': 'Single sign-on settings changed',
  'sso.certificate.rotate': 'Signing certificate rotated (next one published)',
  'sso.certificate.activate': 'Next signing certificate activated',
  'sso.sign_in': 'Signed in to an application (single sign-on)',
  'sso.refused': 'Single sign-on refused',
  'sso.logout': 'Signed out through the application (remote logout or SAML single logout)',
} as const satisfies Record<string, string>;

/**
 * The states of an application's SSO signing certificate, as the SSO tab shows them: a short label,
 * then what the state means for the admin pasting fingerprints into the application.
 */
export const certificateStateWords = { next: 'Next', active: 'Signing now', retired: 'Retired' } as const satisfies Record<string, string>;
export const certificateStateHelp = {
  next: 'Published in the metadata, not signing yet: paste its fingerprint into the application, then activate it (or wait for the overlap period to end).',
  active: 'Signs every sign-in now: its fingerprint is the one the application must have.',
  retired: 'Signs nothing any more and is no longer in the metadata: the application can forget its fingerprint.',
} as const satisfies Record<string, string>;

/** What kind of thing an audit entry's target is. */
export const auditTargetWords = {
  user: 'User',
  group: 'Group',
  application: 'Application',
  admin: 'Admin',
  api_token: 'API token',
  attribute: 'Custom attribute',
  assignment: 'Assignment',
  import_session: 'Import',
  audit_log: 'Audit log',
  settings: 'Settings',
} as const satisfies Record<string, string>;

/** An audit action in words; an action without words reads as its code with spaces ("user import run"). */
export const auditActionSentence = (action: string): string => (auditActionWords as Record<string, string>)[action] ?? action.replace(/[._]/g, ' ');

/** Skip, refusal and error codes of the engine, the connectors and the API, as an admin's words. */
export const codeWords = {
  // The API's error codes (errors/app-error.ts, docs/errors.md).
  validation_failed: 'Some inputs are wrong',
  malformed_json: 'The request is not valid JSON',
  payload_too_large: 'The request is too large',
  unsupported_media_type: 'The request has an unsupported content type',
  not_found: 'Not found',
  route_not_found: 'No such page or endpoint',
  conflict: 'Conflicts with the current state',
  version_conflict: 'Changed by someone else meanwhile',
  precondition_required: 'The version read was not sent',
  duplicate: 'Already taken',
  cycle: 'Would make a loop',
  unauthenticated: 'Not signed in',
  invalid_credentials: 'Wrong email or password',
  csrf_failed: 'The session check failed; reload the page',
  password_change_required: 'A new password must be chosen first',
  forbidden: 'Not allowed for this admin',
  outranked: 'That admin holds permissions you lack',
  too_many_attempts: 'Too many sign-in attempts',
  rate_limited: 'Too many requests; waiting before retrying',
  csv_invalid: 'The CSV file cannot be read',
  config_invalid: "Roster's configuration is wrong",
  not_connected: 'Not connected yet',
  connection_failed: 'The connection does not work',
  target_unavailable: 'The target did not answer',
  unavailable: 'A dependency did not answer',
  internal: 'Unexpected failure',
  connected_target_change: 'Connected to an account: disconnect to move the application',
  // The engine's skip and stop codes (provisioning/).
  ambiguous_match: 'More than one account matches',
  application_stopped: 'Provisioning is stopped',
  approval_required: 'Waiting for approval',
  awaiting_approval: 'Waiting for approval',
  batch_result_missing: 'The target reported no result for this item of a batch',
  billing_admin_not_admin: 'The billing admin must be an admin',
  billing_admin_requires_admin: 'The billing admin must be an admin',
  catalogue_unreadable: "The account's fields and roles could not be read",
  create_disabled: 'Creating accounts is switched off',
  custom: 'Custom rule',
  cycle_running: 'A cycle is already running',
  default_access: 'Default Access: assigned but not provisioned',
  deletion_threshold: 'Held back: too many deletions at once',
  directory_refused: 'The directory refused the change',
  drift: 'Changed in the target',
  dry_run: 'Dry run only',
  email_taken: 'The email is taken by another account',
  inactive: 'The user is inactive',
  invalid_value: 'A value is not allowed',
  lease_lost: 'Another worker took over the cycle',
  mapping_error: 'An attribute mapping failed for this user',
  mapping_invalid: 'The attribute mappings are invalid',
  member_not_provisioned: 'The member is not provisioned',
  member_role_not_allowed: "The member's role cannot join groups",
  not_running: 'Nothing is running',
  paused: 'Provisioning is paused',
  plan_outdated: 'The plan is out of date',
  quarantined: 'Quarantined after repeated failures',
  restarted: 'Restarted',
  too_deep: 'The expression is nested too deeply',
  too_long: 'The value is too long',
  unexpected_character: 'The expression has an unexpected character',
  unknown_role: 'The role does not exist in the account',
  user_deleted: 'The user was deleted',
  worker_lost: 'The worker stopped during the cycle',
  out_of_scope: 'Out of scope',
  link_mismatch: 'The linked account is not this person any more: link dropped, matched again',
  no_account: 'No account in the target to act on',
  target_id_reused: 'The target gave this account id to two users: matched again',
  directory_changed: 'The user changed while the run applied: matched again with the new values',
  target_identity_changed: 'Another account is behind this connection now',
  target_changed: 'Cancelled: the application was moved to another account',
  // Single sign-on (src/sso): refusals of a sign-in, shown on the refusal page and in the logs.
  sso_not_assigned: 'Not assigned to the application',
  sso_default_access: 'Assigned with Default Access: no account to sign in to',
  sso_user_inactive: 'The user is deactivated',
  sso_mapping_error: 'An attribute mapping failed for this user',
  sso_unknown_user: 'No such user',
  sso_unsupported: 'The application has no single sign-on',
  sso_off: 'Single sign-on is off',
  sso_wrong_method: 'The application uses the other sign-in method',
  sso_not_configured: 'Single sign-on is not set up',
  sso_xml_too_large: 'The sign-in request is too large',
  sso_xml_dtd: 'The sign-in request carries a DTD or entities',
  sso_xml_comment: 'The sign-in request carries an XML comment',
  sso_xml_duplicate_id: 'The sign-in request repeats an id',
  sso_xml_malformed: 'The sign-in request is not well-formed XML',
  sso_request_encoding: 'The sign-in request is not encoded as its binding requires',
  sso_request_invalid: 'The sign-in request is not a valid SAML AuthnRequest',
  sso_request_issuer: 'The sign-in request comes from another service',
  sso_request_acs: "The sign-in request asks for an answer outside the application's URL",
  sso_request_destination: "The sign-in request was sent to another application's URL",
  sso_request_expired: 'The sign-in request is too old',
  sso_request_replayed: 'The sign-in request was already used',
  sso_return_url: "The page to return to is not one of the application's own",
  sso_portal_return_to: "The page to return to is not one of Roster's own",
  sso_missing_request: 'The sign-in request is missing',
  sso_logout_invalid: 'The sign-out request is not a valid SAML LogoutRequest',
  sso_logout_issuer: 'The sign-out request comes from another service',
  sso_logout_destination: "The sign-out request was sent to another application's URL",
  sso_logout_expired: 'The sign-out request is too old',
  sso_logout_replayed: 'The sign-out request was already used',
  // Each connector's own codes (connectors/<type>/words.ts).
  ...connectorCodeWords,
} as const satisfies Record<string, string>;

/** A code's words; an unknown code (a newer server) reads as itself. */
export const codeSentence = (code: string): string => (codeWords as Record<string, string>)[code] ?? code;

/** The built-in roles' names; custom roles take their name from the account's roles. */
export const builtInRoleWords = { 'end-user': 'End user', agent: 'Agent', admin: 'Admin' } as const satisfies Record<string, string>;

/**
 * A role by name: the account's role list first ("Light agent" for `custom:6164…`), then the
 * built-in names; a role the account no longer has says so rather than showing its key.
 */
export function roleName(key: string, roles: readonly { key: string; label: string }[] = []): string {
  const found = roles.find((r) => r.key === key);
  if (found) return found.label;
  const builtIn = (builtInRoleWords as Record<string, string>)[key];
  if (builtIn) return builtIn;
  return key.startsWith('custom:') ? `Custom role ${key.slice('custom:'.length)} (not in the account's roles)` : key;
}

/** Scoping operators as a clause reads aloud ("department equals Sales"). */
export const operatorWords = {
  equals: 'equals',
  not_equals: 'does not equal',
  is_true: 'is true',
  is_false: 'is false',
  is_null: 'is empty',
  is_not_null: 'is not empty',
  regex_match: 'matches',
  not_regex_match: 'does not match',
  includes: 'includes',
  ends_with: 'ends with',
  greater_than: 'is greater than',
  greater_than_or_equals: 'is at least',
  in_group: 'is in group',
  not_in_group: 'is not in group',
} as const satisfies Record<string, string>;

export interface ClauseOutcome {
  attribute: string;
  operator: string;
  value: unknown;
  passed: boolean;
}

/** "department equals Sales" */
export function clauseSentence(c: Pick<ClauseOutcome, 'attribute' | 'operator' | 'value'>): string {
  const op = (operatorWords as Record<string, string>)[c.operator] ?? c.operator;
  return c.value === null || c.value === undefined || c.value === '' ? `${c.attribute} ${op}` : `${c.attribute} ${op} ${String(c.value)}`;
}

/**
 * A scoping result as one sentence: "In scope: passes filter Sales team", or "Out of scope: clause
 * department equals Sales was false" (the first failing clause of each filter, filters OR-ed).
 */
export function scopeSentence(filters: readonly { name: string; passed: boolean; clauses: readonly ClauseOutcome[] }[]): string {
  if (filters.length === 0) return 'In scope: no scoping filter';
  const passing = filters.find((f) => f.passed);
  if (passing) return `In scope: passes filter ${passing.name || '(unnamed)'}`;
  return `Out of scope: ${outOfScopeReason(filters)}`;
}

/**
 * Why no filter lets a user in: "clause department equals Sales was false", the first failing
 * clause of each filter (filters are OR-ed, so each one failed). The provisioning log and the
 * plans give it after "Out of scope: ".
 */
export function outOfScopeReason(filters: readonly { passed: boolean; clauses: readonly ClauseOutcome[] }[]): string {
  const failed = filters.filter((f) => !f.passed).map((f) => f.clauses.find((c) => !c.passed)).filter((c): c is ClauseOutcome => c !== undefined);
  return failed.length === 0 ? 'no scoping filter passes' : failed.map((c) => `clause ${clauseSentence(c)} was false`).join('; ');
}

/** The figures of a deletion-threshold hold (provisioning/gate/deletion-threshold.ts). */
export interface HeldBack {
  /** `count`, `percent`, or `everyone` (every provisioned user would be deprovisioned). */
  limit: string;
  /** The plan's own removals: what is held back. */
  planned: number;
  /** Removals counted against the threshold: the plan's plus `recent`. */
  removing: number;
  /** Removals applied in the last `burstMinutes` and counted with the plan's (change-driven runs only). */
  recent?: number | undefined;
  burstMinutes?: number | undefined;
  provisioned: number;
  count: number | null;
  percent: number | null;
  /** The held-back plan's counts by action kind: the same figures the plan shows. */
  counts?: Record<string, number> | undefined;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const tenth = (n: number): number => Math.round(n * 10) / 10;

/**
 * Why suspends and deletes were held back, counting what the staged plan counts: "2 removals held
 * back (Delete user: 2): 2 at once are more than the threshold of 1." When removals applied in the
 * burst window were counted too, it says how many and why they count.
 */
export function heldBackSentence(b: HeldBack): string {
  const what = `${plural(b.planned, 'removal', 'removals')} held back${b.counts ? ` (${planCountsSentence(b.counts)})` : ''}`;
  const recent = b.recent ?? Math.max(0, b.removing - b.planned);
  const minutes = b.burstMinutes ?? 10;
  const counted = recent > 0 ? `with the ${plural(recent, 'removal', 'removals')} applied in the last ${minutes} minutes they make ${b.removing}` : `${b.planned} at once ${b.planned === 1 ? 'is' : 'are'}`;
  const share = b.provisioned > 0 ? tenth((b.removing * 100) / b.provisioned) : 0;
  const why =
    b.limit === 'everyone'
      ? `they would deprovision every one of the ${plural(b.provisioned, 'provisioned user', 'provisioned users')}`
      : b.limit === 'percent'
        ? `${counted}${recent > 0 ? ',' : ''} ${share}% of the ${plural(b.provisioned, 'provisioned user', 'provisioned users')}, above the threshold of ${b.percent ?? '?'}%`
        : `${counted}${recent > 0 ? ', more' : ' more'} than the threshold of ${b.count ?? '?'}`;
  const burst =
    recent > 0 && b.limit !== 'everyone'
      ? ` Removals made by change-driven runs count together for ${minutes} minutes, so that many small changes (a group unassigned member by member, a department deactivated one by one) are held like one large cycle.`
      : '';
  return `${what}: ${why}.${burst}`;
}

/** A code through one of the maps above; unknown codes (a newer server) read as themselves. */
export function wordFor(map: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return map[code] ?? code;
}
