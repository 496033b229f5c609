/** What registry.ts holds per connector type: the target's facts (target-facts.ts) and `connect()` (contract.ts). */
import type { z } from 'zod';
import type { Connection, ConnectorDeps, SsoDefinition, TargetField, TargetRole } from './contract.ts';
import type { ConnectionMethodForm, DefaultMappings, GalleryDefinition, GroupRules, OAuthDefinition, RoleGrantRule } from './target-facts.ts';

/**
 * One connector type: every fact about its target (DESIGN §4) and `connect()`. Shared code reads
 * these; it never branches on which definition it holds.
 */
export interface ConnectorDefinition<Config> {
  type: string;
  name: string;
  /** The gallery entry: what an admin adds, the settings that name an account, the roles offered. */
  gallery: GalleryDefinition;
  /** Where an account lives; the process may point it elsewhere (`TargetUrls`, e.g. the embedded sandbox). */
  defaultUrlTemplate: string;
  /**
   * The account an application's settings name (e.g. a subdomain): the key of its shared
   * request budget and how it is shown. Null while the settings name none.
   */
  accountKey(settings: Readonly<Record<string, unknown>>): string | null;
  /** The ways to connect an account, each with its form (the web app renders the form from it). */
  connectionMethods: readonly ConnectionMethodForm[];
  /** The OAuth authorization code flow; absent when the target has no OAuth method. */
  oauth?: OAuthDefinition;
  /** The mappings and matching order a new configuration starts with; absent: none. */
  defaults?: DefaultMappings;
  /** Roles the target grants only to some accounts (e.g. billing admin only to admins). */
  roleRules?: readonly RoleGrantRule[];
  /** How the target's groups behave when memberships are written. */
  groupRules?: GroupRules;
  /**
   * The config `connect()` takes (parsed by `configSchema`) is built by the engine from the
   * application's settings, the stored connection (method, its fields and secrets), and
   * `baseUrlTemplate` (the process's URL template for this type).
   */
  configSchema: z.ZodType<Config>;
  /** Which config keys are secrets (encrypted at rest, never returned by the API). */
  secretKeys: readonly string[];
  /**
   * The user fields every account of this type has, to validate mappings before a connection exists
   * (a connected account's `fields()` adds its custom ones). Absent: validated only once connected.
   */
  builtInFields?: readonly TargetField[];
  /** The roles every account of this type has (a connected account's `roles()` adds custom roles). */
  builtInRoles?: readonly TargetRole[];
  /**
   * The documented request budget: `assumedPerMinute` is paced until the target's rate-limit headers
   * say otherwise; a target that sends none is probed upward (while requests queue and none is
   * refused) up to `ceilingPerMinute`. Absent: 200 assumed, no probing.
   */
  rateBudget?: { assumedPerMinute: number; ceilingPerMinute: number };
  /** Single sign-on facts of the target (Roster as the identity provider); absent: no SSO. */
  sso?: SsoDefinition;
  connect(config: Config, deps: ConnectorDeps): Connection;
}
