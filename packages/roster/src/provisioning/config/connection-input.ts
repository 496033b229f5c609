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
  // As the API's error handler does: an unknown key is named as its own field.
  const issues = parsed.error.issues.flatMap((i) => {
    const path = ['body', ...i.path].join('.');
    return i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: `${path}.${k}`, reason: 'unknown field' })) : [{ path, reason: i.message }];
  });
  throw new AppError('validation_failed', `The ${connector.name} connection is not valid: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}.`, { issues });
}
