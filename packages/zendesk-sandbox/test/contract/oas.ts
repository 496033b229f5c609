import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import validatorPackage from 'openapi-response-validator';
import { parse } from 'yaml';
import { OAS_RELAXATIONS } from './relaxations.ts';

/** `../shared/zendesk/oas.yaml` from the repository root: the shared folder sits next to the checkout. */
export const REPO_RELATIVE_OAS = fileURLToPath(new URL('../../../../../shared/zendesk/oas.yaml', import.meta.url));

/**
 * Where Zendesk's OpenAPI document (normalised copy) is: `ZENDESK_OAS_PATH` when set, else
 * `../shared/zendesk/oas.yaml` relative to the repository root. Neither → an error saying both.
 */
export function resolveOasPath(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const fromEnv = env.ZENDESK_OAS_PATH;
  if (fromEnv) {
    if (!exists(fromEnv)) throw new Error(`ZENDESK_OAS_PATH names ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  if (exists(REPO_RELATIVE_OAS)) return REPO_RELATIVE_OAS;
  throw new Error(`Zendesk's OpenAPI document was not found: set ZENDESK_OAS_PATH to its oas.yaml, or put it at ../shared/zendesk/oas.yaml next to the repository (looked for ${REPO_RELATIVE_OAS})`);
}

type Schema = Record<string, unknown>;
interface Operation {
  readonly operationId?: string;
  readonly responses: Record<string, Schema>;
}
interface Document {
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

let cached: Document | undefined;

/** Parses the 1.8 MB YAML once per test file (vitest forks a process per file) and applies the relaxations. */
export function oasDocument(): Document {
  if (cached) return cached;
  const doc = parse(readFileSync(resolveOasPath(), 'utf8'), { maxAliasCount: -1 }) as Document;
  applyRelaxations(doc);
  cached = doc;
  return doc;
}

/** Applies exactly the listed relaxations; throws if one no longer matches the OAS (so none goes stale). */
function applyRelaxations(doc: Document): void {
  for (const r of OAS_RELAXATIONS) {
    const schema = doc.components.schemas[r.schema];
    const stale = (why: string) => new Error(`OAS relaxation ${r.schema}.${r.property} (${r.kind ?? 'nullable'}): ${why}`);
    if (!schema) throw stale('no such schema');
    if (r.kind === 'anyOf') {
      if (!Array.isArray(schema.oneOf)) throw stale('the schema has no oneOf');
      schema.anyOf = schema.oneOf;
      delete schema.oneOf;
      continue;
    }
    if (r.kind === 'optional') {
      const required = schema.required as string[] | undefined;
      if (!required?.includes(r.property)) throw stale('the property is not required');
      schema.required = required.filter((p) => p !== r.property);
      continue;
    }
    const prop = (schema.properties as Record<string, Schema> | undefined)?.[r.property];
    if (!prop) throw stale('no such property');
    if (prop.nullable === true) throw stale('the OAS already allows null');
    prop.nullable = true;
  }
}

/** `GET /api/v2/users/{user_id}` → the OAS operation object. */
export function oasOperation(key: string): Operation {
  const [method, path] = key.split(' ') as [string, string];
  const op = oasDocument().paths[path]?.[method.toLowerCase()] as Operation | undefined;
  if (!op) throw new Error(`no OAS operation ${key}`);
  return op;
}

/** Every `#/components/schemas/X` reachable from `root`, so each compiled validator carries only what it needs. */
function reachableSchemas(root: unknown, all: Record<string, Schema>): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!(name in out) && all[name]) {
          out[name] = all[name];
          visit(all[name]);
        }
      } else if (k !== 'example' && k !== 'examples') visit(v);
    }
  };
  visit(root);
  return out;
}

// A CommonJS module with `exports.default`: Node's ESM loader hands over the exports object, vitest the class.
type Validator = InstanceType<typeof validatorPackage.default>;
const ValidatorClass: typeof validatorPackage.default =
  (validatorPackage as unknown as { default?: typeof validatorPackage.default }).default ?? (validatorPackage as unknown as typeof validatorPackage.default);

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const validators = new Map<string, Validator>();

function validatorFor(key: string): Validator {
  let v = validators.get(key);
  if (v) return v;
  // `schema:Name` validates a value against one component schema (used for sideloaded records).
  const responses = key.startsWith('schema:')
    ? { '200': { content: { 'application/json': { schema: { $ref: `#/components/schemas/${key.slice('schema:'.length)}` } } } } }
    : Object.fromEntries(Object.entries(oasOperation(key).responses).map(([status, r]) => [status, stripExamples(r)]));
  v = new ValidatorClass({
    responses: responses as never,
    components: { schemas: reachableSchemas(responses, oasDocument().components.schemas) } as never,
    // Zendesk documents both spellings; both mean ISO-8601 (API-NOTES: "Timestamps are UTC ISO-8601").
    customFormats: { 'date-time': (s: string) => ISO_UTC.test(s), datetime: (s: string) => ISO_UTC.test(s) },
  });
  validators.set(key, v);
  return v;
}

function stripExamples(response: Schema): Schema {
  const content = response.content as Record<string, Schema> | undefined;
  if (!content) return response;
  return { ...response, content: Object.fromEntries(Object.entries(content).map(([type, c]) => [type, { schema: c.schema }])) };
}

/** Problems of one value against a component schema (e.g. `GroupObject`); empty when it conforms. */
export function schemaProblems(schemaName: string, value: unknown): string[] {
  if (!oasDocument().components.schemas[schemaName]) throw new Error(`no OAS schema ${schemaName}`);
  const result = validatorFor(`schema:${schemaName}`).validateResponse('200', JSON.parse(JSON.stringify(value)) as unknown);
  return result ? (result.errors as Array<{ path?: string; message: string }>).map((e) => `${e.path ?? ''}: ${e.message}`) : [];
}

/** Statuses the OAS documents for an operation. */
export function documentedStatuses(key: string): string[] {
  return Object.keys(oasOperation(key).responses);
}

/**
 * Problems of one response against the OAS operation `key` (`METHOD /oas/path/{param}`): an
 * undocumented status, or schema errors (`path: message`). Empty when the response conforms.
 */
export function contractProblems(key: string, status: number, body: unknown): string[] {
  const statuses = documentedStatuses(key);
  if (!statuses.includes(String(status))) return [`status ${status} is not documented for ${key} (documented: ${statuses.join(', ')})`];
  // The validator fills schema defaults into the value it checks; validate a copy, not the caller's body.
  const copy = body === undefined ? undefined : (JSON.parse(JSON.stringify(body)) as unknown);
  const result = validatorFor(key).validateResponse(String(status), copy);
  if (!result) return [];
  return (result.errors as Array<{ path?: string; message: string }>).map((e) => `${e.path ?? ''}: ${e.message}`);
}
