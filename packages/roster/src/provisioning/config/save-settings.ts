/**
 * Saving an application's provisioning settings: the patch is merged, parsed, and its mappings and
 * matching attributes are checked against the target's fields (the connected account's, else the
 * connector's built-in ones), and its scoping filters against the directory's attributes and groups,
 * every problem named with its request path at once.
 */
import type { Principal } from '../../admins/permissions.ts';
import { recordAudit } from '../../audit/audit.ts';
import type { Executor } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { recordChange } from '../../directory/outbox.ts';
import { type WriteOptions, inTransaction } from '../../directory/write-helpers.ts';
import { AppError, type FieldIssue } from '../../errors/app-error.ts';
import { validateMappings } from '../mapping/validate-mappings.ts';
import { liveGroupIds } from '../scoping/live-groups.ts';
import { scopingGroupIds, validateScoping } from '../scoping/validate-scoping.ts';
import { lockConfigRow, updateConfigRow } from './config-row.ts';
import { type ProvisioningConfig, toProvisioningConfig } from './load-config.ts';
import { type ProvisioningSettingsPatch, applySettingsPatch, provisioningSettingsSchema } from './settings-schema.ts';
import { directorySourceAttributes, targetFieldsOf } from './target-catalogue.ts';

/** Where the settings sit in the request body. */
const ROOT = 'body.settings';

export async function saveSettings(
  executor: Executor,
  principal: Principal,
  applicationId: string,
  patch: ProvisioningSettingsPatch,
  expectedVersion: number,
  opts: WriteOptions = {},
): Promise<ProvisioningConfig> {
  return inTransaction(executor, async (tx) => {
    const app = await findAppRow(tx, applicationId);
    const row = await lockConfigRow(tx, applicationId, expectedVersion);
    const before = toProvisioningConfig(app, applicationId, row);
    const parsed = provisioningSettingsSchema.safeParse(applySettingsPatch(before.settings, patch));
    if (!parsed.success) {
      throw invalidSettings(parsed.error.issues.map((i) => ({ path: [ROOT, ...i.path.map(String)].join('.'), reason: i.message })));
    }
    const next = parsed.data;
    const attributes = await directorySourceAttributes(tx);
    const issues = validateMappings(next.mappings, next.matching, targetFieldsOf(before), attributes, { path: ROOT });
    issues.push(...validateScoping(next.scopingFilters, attributes, await liveGroupIds(tx, scopingGroupIds(next.scopingFilters)), { path: ROOT }));
    if (issues.length > 0) throw invalidSettings(issues);
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(before.settings[k]));
    if (changed.length === 0 && before.settingsSaved) return before;
    // A new scope is applied by a full cycle at the next scheduler tick (as Entra restarts a full sync), not at the next interval.
    const rescope = before.enabled && (changed.includes('scope') || changed.includes('scopingFilters'));
    const after = await updateConfigRow(tx, applicationId, { settings: next, ...(rescope ? { nextCycleAt: new Date() } : {}) });
    const pick = (s: typeof next) => Object.fromEntries(changed.map((k) => [k, s[k]]));
    await recordAudit(tx, principal, { action: 'provisioning.settings.update', targetType: 'application', targetId: applicationId, before: pick(before.settings), after: pick(next) }, opts.requestId);
    await recordChange(tx, { entityType: 'application', entityId: applicationId, op: 'updated', data: { fields: changed.map((k) => `provisioning.settings.${k}`) } });
    return toProvisioningConfig(app, applicationId, after);
  });
}

const invalidSettings = (issues: FieldIssue[]): AppError =>
  new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues });
