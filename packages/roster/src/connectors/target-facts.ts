/**
 * The facts a connector definition holds about its target besides its API (DESIGN §4): the gallery
 * entry and its settings, where an account lives, the connection form, OAuth, default mappings and
 * the rules of its roles and groups. The engine, the directory, the API and the web app read them;
 * none of them names a target.
 */
import type { z } from 'zod';
import type { Result } from '../errors/result.ts';
import type { AppRole, RoleCheck } from './app-roles.ts';
import type { ConnectorError, TargetRole } from './contract.ts';

/**
 * Where this process reaches targets: a URL template per connector type (e.g. pointed at the
 * embedded sandbox under `--with-sandbox`). A type without an entry uses its `defaultUrlTemplate`.
 */
export type TargetUrls = Readonly<Record<string, string>>;

/** One setting the creation form asks for (the UI renders the form from this). */
export interface GallerySettingField {
  key: string;
  label: string;
  description: string;
  example: string;
  pattern: string;
  required: boolean;
}

/** The kind of application an admin can add. Shared code reads these facts; it never branches on the entry it holds. */
export interface GalleryDefinition<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The application type, equal to the connector type. */
  key: string;
  name: string;
  description: string;
  /** An inline SVG data URL, so the gallery needs no static assets. */
  logo: string;
  /** The target's own documentation of what Roster uses. */
  docsUrl?: string;
  settingFields: readonly GallerySettingField[];
  /** Parses and normalises the `settings` of a new or changed application; unknown keys are refused. */
  settingsSchema: z.ZodType<S, Record<string, unknown>>;
  /** Two live applications of one type may not share this key: the account the settings name. */
  identityKey(settings: S): string;
  /** The setting the identity key comes from, to name it in a duplicate error. */
  identityField: string;
  /** Where the target lives, from the process's URL template for this type (see `TargetUrls`). */
  targetUrl(settings: S, urlTemplate?: string): string;
  /** Roles offered before a connection exists; `default-access` is always first. */
  roles: readonly AppRole[];
  /** Checks a role key; `customRoles` are the account's roles once the connector has read them. */
  checkRole(key: string, customRoles?: readonly AppRole[], customLabel?: string): RoleCheck;
  /** Rank for picking one role among several group assignments; higher wins. */
  roleRank(key: string): number;
  /** The keys of roles read from an account later (custom roles), as a regular expression; absent: none. */
  customRolePattern?: string;
}

/** One field of a connection form. Secrets are stored encrypted and never returned. */
export interface ConnectionFormField {
  /** The key in the connection body (`PUT …/provisioning/connection`). */
  key: string;
  /** The key in the connector's config when it differs from `key` (e.g. `adminEmail` → `email`). */
  configKey?: string;
  label: string;
  /** `secret`: stored encrypted, never returned; `url`: an http(s) URL; `email`: an address; `text`: any text. */
  type: 'text' | 'secret' | 'url' | 'email';
  help?: string;
  placeholder?: string;
  required: boolean;
}

/** One way to connect an account, with the form that collects it. */
export interface ConnectionMethodForm {
  /**
   * The method's name, also the connector config's `method`. `oauth` is reserved for the OAuth
   * authorization code flow (saved, then *Authorize*, tokens arrive through the callback); every
   * other method (`api_token`, `bearer`, `basic`, `oauth_client_credentials`, …) works once saved.
   */
  method: string;
  label: string;
  /** A short line under the method's name, e.g. why it is the recommended one. */
  help?: string;
  /** A caveat shown with the form, e.g. that the target is retiring the method. */
  notice?: string;
  /** OAuth: what *Authorize* does, shown beside the button. */
  authorizeHelp?: string;
  /** Marks the method the form opens with. */
  recommended?: boolean;
  fields: readonly ConnectionFormField[];
}

export interface OAuthTokenSet {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds; null when the token does not expire. */
  expiresAt: number | null;
  scope: string;
}

/** The target's OAuth authorization code flow (PKCE S256); `baseUrl` is the account's URL. */
export interface OAuthDefinition {
  authorizeUrl(input: { baseUrl: string; clientId: string; redirectUri: string; state: string; codeChallenge: string }): string;
  exchangeCode(input: { fetch: typeof fetch; baseUrl: string; clientId: string; clientSecret: string; code: string; redirectUri: string; codeVerifier: string }): Promise<Result<OAuthTokenSet, ConnectorError>>;
}

/** A mapping a new configuration starts with (parsed by the engine's mapping schema). */
export interface DefaultMapping {
  target: string;
  source: { kind: 'attribute'; attribute: string } | { kind: 'expression'; expression: string } | { kind: 'constant'; value: string | number | boolean | null };
  apply: 'always' | 'on_create';
}

/** The mappings and matching order a new configuration starts with. */
export interface DefaultMappings {
  mappings: readonly DefaultMapping[];
  /** Target fields tried in order to find an existing account. */
  matching: readonly string[];
}

/**
 * A role the target grants only to accounts that already hold certain roles (e.g. billing admin,
 * only to admins). The engine refuses the write with `code` and says what to assign first.
 */
export interface RoleGrantRule {
  /** Does this rule govern `role`? */
  governs(role: TargetRole): boolean;
  /** May an account holding `current` now be given the role? */
  allowsHolder(current: TargetRole): boolean;
  /** The skip code of a refusal (words in words.ts). */
  code: string;
  /** Who may hold it, for the refusal, e.g. `an admin`. */
  holderNoun: string;
  /** The role to assign first, e.g. `Admin`. */
  assignFirst: string;
}

/** Rules of the target's groups that the engine follows when it writes memberships. */
export interface GroupRules {
  /**
   * The target refuses to remove a user's last membership (its error code ends in
   * `last_group_membership`) and keeps every such user in its default group: the engine adds the
   * user to the default group first, then removes.
   */
  lastMembershipFallsBackToDefaultGroup?: boolean;
}
