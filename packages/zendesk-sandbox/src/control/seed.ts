import { z } from 'zod';
import { ApiError } from '../http/errors.ts';
import type { ControlHandler } from '../http/server.ts';
import { createUser } from '../store/user-write.ts';
import { accountOr404, json, parseControl } from './respond.ts';

/** Body of `POST /__sandbox/accounts/{sub}/seed`. */
export const seedSchema = z
  .object({
    count: z.number().int().min(1).max(500_000),
    role: z.enum(['end-user', 'agent', 'admin']).default('end-user'),
    customRoleId: z.number().int().optional(),
    suspended: z.boolean().optional(),
    prefix: z.string().regex(/^[a-z0-9-]+$/).default('seed'),
  })
  .strict();

/** Adds N users quickly (validation still applies), e.g. 100,000 for a bench. */
export const seedHandler: ControlHandler = (ctx) => {
  const account = accountOr404(ctx);
  const body = parseControl(seedSchema, ctx.body);
  const admin = account.users.get(account.ownerId) ?? null;
  const created: number[] = [];
  let n = account.users.size;
  while (created.length < body.count) {
    n += 1;
    const email = `${body.prefix}-${n}@${account.subdomain}.example.com`;
    if (account.users.findByEmail(email)) continue;
    const result = createUser(
      account,
      {
        name: `${body.prefix} user ${n}`,
        email,
        external_id: `${body.prefix}-${n}`,
        role: body.role,
        ...(body.customRoleId !== undefined ? { custom_role_id: body.customRoleId } : {}),
        ...(body.suspended !== undefined ? { suspended: body.suspended } : {}),
      },
      { user: admin, isAdmin: true },
    );
    if (!result.ok) throw new ApiError(result.problem);
    created.push(result.user.id);
  }
  return json({ created: created.length, firstId: created[0] ?? null, lastId: created[created.length - 1] ?? null, total: account.users.size }, 201);
};
