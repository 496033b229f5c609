/**
 * The application gallery: the kinds of application an admin can add. Shared code reads an entry's
 * declared settings, roles and validators; it never branches on which entry it holds.
 */
import type { z } from 'zod';
import type { AppRole, RoleCheck } from './app-roles.ts';
import { zendeskGalleryEntry } from './gallery-zendesk.ts';

/** The process's view of where targets live (config: `zendeskUrlTemplate`, pointed at the sandbox under `--with-sandbox`). */
export interface TargetEnv {
  zendeskUrlTemplate?: string;
}

/** One setting the creation form asks for (the UI renders the form from this). */
export interface GallerySettingField {
  key: string;
  label: string;
  description: string;
  example: string;
  pattern: string;
  required: boolean;
}

export interface GalleryEntry<S extends Record<string, unknown> = Record<string, unknown>> {
  key: string;
  name: string;
  description: string;
  /** An inline SVG data URL, so the gallery needs no static assets. */
  logo: string;
  settingFields: readonly GallerySettingField[];
  /** Parses and normalises the `settings` of a new or changed application; unknown keys are refused. */
  settingsSchema: z.ZodType<S, Record<string, unknown>>;
  /** Two live applications of one type may not share this key (for Zendesk: the subdomain). */
  identityKey(settings: S): string;
  /** The setting the identity key comes from, to name it in a duplicate error. */
  identityField: string;
  /** Where the target lives, for display; `env` says where this process reaches targets (e.g. the embedded sandbox). */
  targetUrl(settings: S, env?: TargetEnv): string;
  /** Roles offered before a connection exists; `default-access` is always first. */
  roles: readonly AppRole[];
  /** Checks a role key; `customRoles` are the account's roles once the connector has read them. */
  checkRole(key: string, customRoles?: readonly AppRole[], customLabel?: string): RoleCheck;
  /** Rank for picking one role among several group assignments; higher wins. */
  roleRank(key: string): number;
}

export const gallery: readonly GalleryEntry[] = [zendeskGalleryEntry as unknown as GalleryEntry];

export const galleryEntry = (key: string): GalleryEntry | undefined => gallery.find((e) => e.key === key);
