/** One directory user rendered into the target's shape: the pure half of the desired state. */
import type { CompiledMappings } from '../mapping/compile-mappings.ts';
import { hashAttributes } from '../mapping/hash-attributes.ts';
import { type DirectoryUserLike, toSourceUser } from '../mapping/source-attributes.ts';
import type { DesiredUser, SkippedUser } from '../diff/plan-types.ts';

/** Assigned but never provisioned (the assignment role every application offers). */
export const DEFAULT_ACCESS_ROLE = 'default-access';

export interface RenderContext {
  compiled: CompiledMappings;
  /** Target keys of `on_create` mappings: written by a create, then left alone. */
  onCreate: ReadonlySet<string>;
}

/** A user's desired target state, or why it is not provisioned. */
export function renderDesired(user: DirectoryUserLike, roleKey: string, ctx: RenderContext): { desired: DesiredUser } | { skipped: SkippedUser } {
  const identity = user.email;
  if (roleKey === DEFAULT_ACCESS_ROLE) {
    return { skipped: { directoryId: user.id, identity, code: 'default_access', reason: 'assigned with Default Access, which is never provisioned' } };
  }
  const rendered = ctx.compiled.render(toSourceUser(user), true);
  if (rendered.errors.length > 0) {
    const reason = rendered.errors.map((e) => `${e.target}: ${e.message}`).join('; ');
    return { skipped: { directoryId: user.id, identity, code: 'mapping_error', reason: `a mapping could not be computed (${reason}); fix the mapping or the user's attributes`, failed: true } };
  }
  const attributes: Record<string, unknown> = {};
  const createAttributes: Record<string, unknown> = {};
  let externalId = user.id;
  for (const [key, value] of Object.entries(rendered.attributes)) {
    if (key === 'external_id') externalId = typeof value === 'string' && value !== '' ? value : user.id;
    else if (ctx.onCreate.has(key)) createAttributes[key] = value;
    else attributes[key] = value;
  }
  const hash = hashAttributes({ attributes, roleKey, externalId });
  return { desired: { directoryId: user.id, identity, externalId, roleKey, suspended: user.status !== 'active', attributes, createAttributes, hash, ...(user.version === undefined ? {} : { version: user.version }) } };
}
