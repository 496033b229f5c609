/**
 * Test connection on values typed in the form but not saved (like Entra's *Test Connection* before
 * *Save*): the connector's check runs on the given credentials against the account the application's
 * settings name; nothing is stored, not even the catalogue. OAuth client details cannot be checked
 * this way: the target checks them on its consent page (*Authorize*), so that case is refused naming the field.
 */
import type { ConnectorDeps } from '../../connectors/contract.ts';
import { urlTemplateFor } from '../../connectors/registry.ts';
import type { TargetUrls } from '../../connectors/target-facts.ts';
import type { Db } from '../../db/database.ts';
import { AppError, invalidField } from '../../errors/app-error.ts';
import { type Result, err, ok } from '../../errors/result.ts';
import { createTargetPacer } from '../apply/pacer.ts';
import type { ConnectionInput } from '../config/connection-schema.ts';
import { loadProvisioningConfig } from '../config/load-config.ts';
import { connectorOf } from '../config/target-catalogue.ts';
import { connectorConfig } from './connector-config.ts';
import type { TestResult } from './test-connection.ts';

export interface TestValuesInput {
  db: Db;
  targetUrls: TargetUrls;
  applicationId: string;
  values: ConnectionInput;
  fetch?: typeof fetch;
}

export async function testConnectionValues(input: TestValuesInput): Promise<Result<TestResult, AppError>> {
  const { values } = input;
  if (values.method === 'oauth') {
    return err(invalidField('body.method', 'OAuth client details are checked by the target on its consent page: save them and choose Authorize'));
  }
  const config = await loadProvisioningConfig(input.db, input.applicationId);
  if (config.account === null) return err(new AppError('not_connected', `Application ${input.applicationId} names no account in its settings; set it before testing a connection.`));
  const connector = connectorOf(config.type);
  const form = connector.connectionMethods.find((m) => m.method === values.method);
  const secretKeys = new Set(form?.fields.filter((f) => f.type === 'secret').map((f) => f.key));
  const fields = Object.fromEntries(Object.entries(values).filter(([k]) => k !== 'method' && !secretKeys.has(k)));
  const secrets = Object.fromEntries(Object.entries(values).filter(([k]) => secretKeys.has(k)));
  const raw = connectorConfig({
    config: { targetSettings: config.targetSettings, stored: { method: values.method, fields }, tokenExpiresAt: null },
    secrets,
    methods: connector.connectionMethods,
    baseUrlTemplate: urlTemplateFor(config.type, input.targetUrls) ?? '',
  });
  const parsed = connector.configSchema.safeParse(raw);
  if (!parsed.success) return err(new AppError('validation_failed', 'These values cannot make a connection.', { issues: parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, reason: i.message })) }));
  const deps: ConnectorDeps = {
    fetch: input.fetch ?? fetch,
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // The same account's budget as the saved connection: a test never starves running cycles.
    pacer: createTargetPacer(input.db, `${config.type}:${config.account}`, connector),
  };
  const report = await connector.connect(parsed.data, deps).check();
  return ok({ report, capabilities: report.capabilities ?? null });
}
