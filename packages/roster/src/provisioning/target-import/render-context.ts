/** The application's mappings compiled for rendering, as the engine compiles them for a cycle. */
import type { TargetField } from '../../connectors/contract.ts';
import type { Executor } from '../../db/database.ts';
import { loadAttributeDefinitions } from '../../directory/attributes/attributes.ts';
import type { Result } from '../../errors/result.ts';
import type { ProvisioningConfig } from '../config/load-config.ts';
import type { RenderContext } from '../desired/render-desired.ts';
import { compileMappings } from '../mapping/compile-mappings.ts';
import { sourceAttributes } from '../mapping/source-attributes.ts';

export async function renderContextOf(executor: Executor, config: ProvisioningConfig, fields: readonly TargetField[]): Promise<Result<RenderContext, { code: string; message: string; advice: string }>> {
  const definitions = [...(await loadAttributeDefinitions(executor)).values()];
  const compiled = compileMappings(config.settings.mappings, config.settings.matching, fields, sourceAttributes(definitions));
  if (!compiled.ok) {
    const reason = compiled.error.map((i) => `${i.path}: ${i.reason}`).join('; ');
    return { ok: false, error: { code: 'mapping_invalid', message: `The saved mappings no longer compile: ${reason}`, advice: 'Fix the mappings on the Provisioning tab, then confirm again.' } };
  }
  const onCreate = new Set(config.settings.mappings.filter((m) => m.apply === 'on_create').map((m) => m.target));
  return { ok: true, value: { compiled: compiled.value, onCreate } };
}
