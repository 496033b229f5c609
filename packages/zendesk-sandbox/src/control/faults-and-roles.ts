import { z } from 'zod';
import { faultConfigSchema } from '../faults/faults.ts';
import type { ControlHandler } from '../http/server.ts';
import { isoNow } from '../store/ids.ts';
import { roleConfiguration } from '../store/roles.ts';
import { views } from '../views/resource-views.ts';
import { accountOr404, json, parseControl } from './respond.ts';

/** PUT /__sandbox/accounts/{sub}/faults — replaces the account's faults; `{}` turns them off. */
export const putFaultsHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const config = parseControl(faultConfigSchema, ctx.body);
  account.faults.set(config);
  return json({ faults: account.faults.config });
};

export const customRoleSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().default(''),
    roleType: z.number().int().min(0).max(5).default(0),
    configuration: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** POST /__sandbox/accounts/{sub}/custom_roles — adds a custom agent role. */
export const createCustomRoleHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const body = parseControl(customRoleSchema, ctx.body);
  const now = isoNow();
  const role = {
    id: account.ids.take(),
    name: body.name,
    description: body.description,
    roleType: body.roleType,
    system: false,
    configuration: { ...roleConfiguration(body.roleType), ...body.configuration },
    createdAt: now,
    updatedAt: now,
  };
  account.roles.insert(role);
  return json({ custom_role: views.role(role, 0) }, 201);
};
