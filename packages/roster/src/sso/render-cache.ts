/**
 * The application's mappings compiled for rendering, as the engine compiles them, kept per process:
 * a sign-in must not pay for compiling every expression. The key is everything the compiled result
 * depends on — the settings' version, the target's field catalogue and the directory's attribute
 * definitions — so any change to one of them compiles afresh.
 */
import type { Executor } from '../db/database.ts';
import { loadAttributeDefinitions } from '../directory/attributes/attributes.ts';
import type { Result } from '../errors/result.ts';
import type { ProvisioningConfig } from '../provisioning/config/load-config.ts';
import { targetFieldsOf } from '../provisioning/config/target-catalogue.ts';
import type { RenderContext } from '../provisioning/desired/render-desired.ts';
import { compileMappings } from '../provisioning/mapping/compile-mappings.ts';
import { sourceAttributes } from '../provisioning/mapping/source-attributes.ts';

type Compiled = Result<RenderContext, { code: string; message: string; advice: string }>;

const cache = new Map<string, Compiled>();
const MAX_ENTRIES = 200;

export async function cachedRenderContext(executor: Executor, config: ProvisioningConfig): Promise<Compiled> {
  const definitions = [...(await loadAttributeDefinitions(executor)).values()];
  const fields = targetFieldsOf(config);
  const key = JSON.stringify([config.applicationId, config.version, config.settings.mappings, config.settings.matching, fields, definitions]);
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compileMappings(config.settings.mappings, config.settings.matching, fields, sourceAttributes(definitions));
  const value: Compiled = compiled.ok
    ? { ok: true, value: { compiled: compiled.value, onCreate: new Set(config.settings.mappings.filter((m) => m.apply === 'on_create').map((m) => m.target)) } }
    : { ok: false, error: { code: 'mapping_invalid', message: `The saved mappings no longer compile: ${compiled.error.map((i) => `${i.path}: ${i.reason}`).join('; ')}`, advice: 'Fix the mappings on the Provisioning tab.' } };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}
