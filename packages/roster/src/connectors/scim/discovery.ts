/**
 * What the app says it supports, read once per connection (and shared by the process's connections of one config: discovery-cache.ts): `/ServiceProviderConfig` (RFC 7643 §5:
 * patch, bulk with maxOperations and maxPayloadSize, filter with maxResults, etag, sort,
 * changePassword), `/ResourceTypes` (the Users and Groups endpoints and the User schema
 * extensions, §6) and `/Schemas` (the attributes of each, §7). Apps that serve no ResourceTypes or
 * Schemas get the RFC's defaults; a config that lies is caught where it matters (bulk.ts).
 */
import { z } from 'zod';
import { ok } from '../../errors/result.ts';
import type { ConnectorResult } from '../contract.ts';
import { canonicalName, sameName } from './canonical.ts';
import type { ScimHttp } from './http.ts';

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const supported = z.looseObject({ supported: z.union([z.boolean(), z.string()]).optional() }).optional();
const intish = z.union([z.number(), z.string()]).optional();
const spcSchema = z.looseObject({
  patch: supported,
  bulk: z.looseObject({ supported: z.union([z.boolean(), z.string()]).optional(), maxOperations: intish, maxPayloadSize: intish }).optional(),
  filter: z.looseObject({ supported: z.union([z.boolean(), z.string()]).optional(), maxResults: intish }).optional(),
  changePassword: supported,
  sort: supported,
  etag: supported,
  authenticationSchemes: z.array(z.looseObject({ type: z.string().optional(), name: z.string().optional() })).optional(),
});

export interface AttributeDef {
  name: string;
  type: string;
  multiValued: boolean;
  mutability: string;
  required: boolean;
  canonicalValues: string[];
  subAttributes: AttributeDef[];
}
const attributeSchema: z.ZodType<AttributeDef> = z.lazy(() =>
  z
    .looseObject({
      name: z.string(),
      type: z.string().optional(),
      multiValued: z.boolean().optional(),
      mutability: z.string().optional(),
      required: z.boolean().optional(),
      canonicalValues: z.array(z.unknown()).optional(),
      subAttributes: z.array(attributeSchema).optional(),
    })
    .transform((a) => ({
      name: a.name,
      type: a.type ?? 'string',
      multiValued: a.multiValued ?? false,
      mutability: a.mutability ?? 'readWrite',
      required: a.required ?? false,
      canonicalValues: (a.canonicalValues ?? []).map(String),
      subAttributes: a.subAttributes ?? [],
    })),
) as unknown as z.ZodType<AttributeDef>;
const schemaDefSchema = z.looseObject({ id: z.string(), name: z.string().nullable().optional(), attributes: z.array(attributeSchema).default([]) });
const resourceTypeSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  endpoint: z.string(),
  schema: z.string(),
  schemaExtensions: z.array(z.looseObject({ schema: z.string(), required: z.boolean().optional() })).optional(),
});
const listOf = <T extends z.ZodType>(item: T) => z.union([z.looseObject({ Resources: z.array(z.unknown()).default([]) }), z.array(z.unknown())]).transform((v) => (Array.isArray(v) ? v : v.Resources).flatMap((x) => {
  const p = item.safeParse(x);
  return p.success ? [p.data as z.infer<T>] : [];
}));

export interface ScimFeatures {
  patch: boolean;
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  filter: { supported: boolean; maxResults: number };
  etag: boolean;
  sort: boolean;
  changePassword: boolean;
  authenticationSchemes: string[];
}

export interface ScimDiscovery {
  features: ScimFeatures;
  usersEndpoint: string;
  /** Null when the app has no Group resource type. */
  groupsEndpoint: string | null;
  /** User schema extensions the app declares (enterprise, its own). */
  userExtensions: string[];
  /** Schema id → attributes, for the User core schema and its extensions. */
  schemas: Map<string, AttributeDef[]>;
  /** What could not be read, in admin words (ResourceTypes or Schemas missing). */
  notes: string[];
}

const truthy = (v: boolean | string | undefined) => v === true || v === 'true';
const positive = (v: number | string | undefined, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** A page size when the app names no maxResults (RFC 7644 §3.4.2.4 lets it answer fewer). */
export const DEFAULT_MAX_RESULTS = 100;

export function readFeatures(body: unknown): ScimFeatures | null {
  const p = spcSchema.safeParse(body);
  if (!p.success) return null;
  const s = p.data;
  const maxOperations = positive(s.bulk?.maxOperations, 0);
  const maxPayloadSize = positive(s.bulk?.maxPayloadSize, 0);
  return {
    patch: truthy(s.patch?.supported),
    // A bulk endpoint without a positive maxOperations and maxPayloadSize cannot be used safely.
    bulk: { supported: truthy(s.bulk?.supported) && maxOperations > 0 && maxPayloadSize > 0, maxOperations, maxPayloadSize },
    filter: { supported: truthy(s.filter?.supported), maxResults: positive(s.filter?.maxResults, DEFAULT_MAX_RESULTS) },
    etag: truthy(s.etag?.supported),
    sort: truthy(s.sort?.supported),
    changePassword: truthy(s.changePassword?.supported),
    authenticationSchemes: (s.authenticationSchemes ?? []).map((a) => a.name ?? a.type ?? 'unknown'),
  };
}

/** Reads the three discovery endpoints; only ServiceProviderConfig is required. */
export async function discover(http: ScimHttp): Promise<ConnectorResult<ScimDiscovery>> {
  const spc = await http.json({ method: 'GET', path: '/ServiceProviderConfig' }, z.unknown());
  if (!spc.ok) return spc;
  const features = readFeatures(spc.value);
  if (!features) {
    return { ok: false, error: { code: 'scim.not_scim', class: 'configuration', message: 'The app answered /ServiceProviderConfig with something that is not a SCIM service provider configuration', advice: 'Check the base URL: it is the SCIM root the app documents (often ending in /scim/v2), the part before /Users.' } };
  }
  const notes: string[] = [];
  let usersEndpoint = '/Users';
  let groupsEndpoint: string | null = '/Groups';
  let userExtensions: string[] = [ENTERPRISE_USER];
  const types = await http.json({ method: 'GET', path: '/ResourceTypes' }, listOf(resourceTypeSchema));
  if (types.ok && types.value.length > 0) {
    const user = types.value.find((t) => sameName(t.schema, CORE_USER)) ?? types.value.find((t) => sameName(t.name, 'User'));
    const group = types.value.find((t) => sameName(t.schema, CORE_GROUP)) ?? types.value.find((t) => sameName(t.name, 'Group'));
    if (user) {
      usersEndpoint = normalizeEndpoint(user.endpoint);
      userExtensions = (user.schemaExtensions ?? []).map((e) => canonicalName(e.schema));
    }
    groupsEndpoint = group ? normalizeEndpoint(group.endpoint) : null;
  } else notes.push('The app does not list its resource types (/ResourceTypes): Roster assumes /Users and /Groups.');

  const schemas = new Map<string, AttributeDef[]>();
  const read = await http.json({ method: 'GET', path: '/Schemas' }, listOf(schemaDefSchema));
  if (read.ok && read.value.length > 0) {
    for (const s of read.value) {
      // Keyed by the spelling ResourceTypes gave (the key of the extension object in a User).
      const id = [CORE_USER, ...userExtensions].find((u) => sameName(u, s.id));
      if (id) schemas.set(id, s.attributes);
    }
  } else notes.push('The app does not describe its schemas (/Schemas): Roster offers the standard SCIM attributes only.');
  return ok({ features, usersEndpoint, groupsEndpoint, userExtensions, schemas, notes });
}

/** `/Users` from `/Users`, `Users`, `/Users/` or an absolute URL. */
export function normalizeEndpoint(endpoint: string): string {
  let path = endpoint;
  if (/^https?:\/\//i.test(path)) path = new URL(path).pathname.replace(/.*(\/[^/]+)\/?$/, '$1');
  path = `/${path.replace(/^\/+|\/+$/g, '')}`;
  return path === '/' ? '/Users' : path;
}
