/**
 * Reads a connection body (`{ method, ...fields }`) against the application's connector's
 * connection methods: 400 `validation_failed` naming each field and its reason, else the input.
 */
import type { Executor } from '../../db/database.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { AppError } from '../../errors/app-error.ts';
import { type ConnectionInput, connectionInputSchemaFor } from './connection-schema.ts';
import { connectorOf } from './target-catalogue.ts';

export async function parseConnectionInput(executor: Executor, applicationId: string, body: Record<string, unknown>): Promise<ConnectionInput> {
  const app = await findAppRow(executor, applicationId);
  const connector = connectorOf(app.type);
  const parsed = connectionInputSchemaFor(connector.connectionMethods).safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), reason: i.message }));
  throw new AppError('validation_failed', `The ${connector.name} connection is not valid: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}.`, { issues });
}
