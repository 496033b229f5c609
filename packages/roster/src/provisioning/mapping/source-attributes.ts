/**
 * The directory attributes a mapping can read, with their types. The renderer reads a flat
 * {@link SourceUser} record (custom attributes as `custom.<key>`), so the engine decides what it
 * loads: `managerEmail` is the email of the user `managerId` names, resolved by the caller
 * (desired/manager-emails.ts for the desired state, the mapping preview for "Try it").
 */
import type { Value } from './expression/values.ts';

export type SourceAttributeType = 'string' | 'number' | 'boolean' | 'date' | 'enum';

export interface SourceAttribute {
  /** As written in mappings: `givenName`, `custom.costCenter`. */
  name: string;
  label: string;
  type: SourceAttributeType;
  custom: boolean;
  enumValues?: readonly string[];
}

/** One user as mappings read it: attribute name → value; a missing key reads as null. */
export type SourceUser = Readonly<Record<string, Value | undefined>>;

/** A custom attribute definition, as the directory stores it (`attribute_definitions`). */
export interface CustomAttributeDefinition {
  key: string;
  label?: string;
  type: string;
  enumValues?: readonly string[] | null;
}

const builtIn: readonly SourceAttribute[] = [
  ['id', 'Directory id'],
  ['email', 'Primary email'],
  ['givenName', 'Given name'],
  ['familyName', 'Family name'],
  ['displayName', 'Display name'],
  ['phone', 'Phone'],
  ['mobile', 'Mobile'],
  ['jobTitle', 'Job title'],
  ['department', 'Department'],
  ['employeeId', 'Employee id'],
  ['managerId', 'Manager (directory id)'],
  ['managerEmail', "Manager's email"],
  ['locale', 'Locale'],
  ['timeZone', 'Time zone'],
  ['organization', 'Organization'],
  ['location', 'Location'],
].map(([name, label]) => ({ name: name!, label: label!, type: 'string' as const, custom: false }));

const statusAttribute: SourceAttribute = { name: 'status', label: 'Status', type: 'enum', custom: false, enumValues: ['active', 'inactive'] };

export const CUSTOM_PREFIX = 'custom.';

const asType = (type: string): SourceAttributeType => (['string', 'number', 'boolean', 'date', 'enum'].includes(type) ? (type as SourceAttributeType) : 'string');

/** Built-in attributes, then one `custom.<key>` per definition. */
export function sourceAttributes(definitions: readonly CustomAttributeDefinition[] = []): SourceAttribute[] {
  const custom = definitions.map((d): SourceAttribute => ({
    name: CUSTOM_PREFIX + d.key,
    label: d.label ?? d.key,
    type: asType(d.type),
    custom: true,
    ...(d.enumValues ? { enumValues: d.enumValues } : {}),
  }));
  return [...builtIn, statusAttribute, ...custom];
}

/** Looks attributes up by name: exact first, then ignoring case (`[GivenName]` reads `givenName`). */
export interface AttributeCatalog {
  get(name: string): SourceAttribute | undefined;
  readonly names: readonly string[];
}

export function createAttributeCatalog(attributes: readonly SourceAttribute[]): AttributeCatalog {
  const exact = new Map(attributes.map((a) => [a.name, a]));
  const folded = new Map(attributes.map((a) => [a.name.toLowerCase(), a]));
  return { get: (name) => exact.get(name) ?? folded.get(name.toLowerCase()), names: attributes.map((a) => a.name) };
}

/** The directory fields `toSourceUser` reads; the `users` row satisfies it. */
export interface DirectoryUserLike {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  phone: string | null;
  mobile: string | null;
  jobTitle: string | null;
  department: string | null;
  employeeId: string | null;
  managerId: string | null;
  locale: string | null;
  timeZone: string | null;
  organization: string | null;
  location: string | null;
  status: string;
  custom: Record<string, unknown>;
  /** The manager's email, when the caller has resolved it (desired/manager-emails.ts). */
  managerEmail?: string | null | undefined;
  /** The row's version, when read from the directory (a claim by email is written only while it is current). */
  version?: number | undefined;
}

/** Flattens a directory user; `managerEmail` when the caller has resolved it (on the user or in `extra`). */
export function toSourceUser(user: DirectoryUserLike, extra: { managerEmail?: string | null } = {}): Record<string, Value> {
  const out: Record<string, Value> = {
    id: user.id,
    email: user.email,
    givenName: user.givenName,
    familyName: user.familyName,
    displayName: user.displayName,
    phone: user.phone,
    mobile: user.mobile,
    jobTitle: user.jobTitle,
    department: user.department,
    employeeId: user.employeeId,
    managerId: user.managerId,
    managerEmail: extra.managerEmail ?? user.managerEmail ?? null,
    locale: user.locale,
    timeZone: user.timeZone,
    organization: user.organization,
    location: user.location,
    status: user.status,
  };
  for (const [key, value] of Object.entries(user.custom)) out[CUSTOM_PREFIX + key] = asScalar(value);
  return out;
}

// Custom values are typed scalars by the directory's own validation; anything else is not mappable.
const asScalar = (value: unknown): Value =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
