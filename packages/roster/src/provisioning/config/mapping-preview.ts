/** The live preview of one mapping for one directory user (the mapping editor's "Try it"). */
import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { users } from '../../db/schema.ts';
import { AppError } from '../../errors/app-error.ts';
import { type MappingPreview, previewMapping } from '../mapping/preview-mapping.ts';
import { toSourceUser } from '../mapping/source-attributes.ts';
import { loadProvisioningConfig } from './load-config.ts';
import type { FieldMapping } from './settings-schema.ts';
import { directorySourceAttributes, targetFieldsOf } from './target-catalogue.ts';

export async function previewForUser(executor: Executor, applicationId: string, mapping: FieldMapping, userId: string): Promise<MappingPreview> {
  const config = await loadProvisioningConfig(executor, applicationId);
  const [user] = await executor.select().from(users).where(and(eq(users.id, userId), isNull(users.deletedAt)));
  if (!user) throw new AppError('not_found', `No user with id ${userId}.`, { issues: [{ path: 'body.userId', reason: 'no such user' }], details: { kind: 'user', id: userId } });
  const [manager] = user.managerId ? await executor.select({ email: users.email }).from(users).where(eq(users.id, user.managerId)) : [];
  const sample = toSourceUser(user, { managerEmail: manager?.email ?? null });
  return previewMapping(mapping, sample, { targetFields: targetFieldsOf(config), sourceAttributes: await directorySourceAttributes(executor) });
}
