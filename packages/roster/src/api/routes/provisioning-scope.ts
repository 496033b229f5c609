/**
 * Scope tools of the Provisioning tab: the impact preview of a scope or scoping filter change
 * (view_apps; read-only), and provision on demand for one user or one group (manage_provisioning;
 * really applies, synchronously). How on demand avoids racing a running cycle: see
 * provisioning/scoping/provision-on-demand.ts (it takes the application's lease, waiting briefly).
 */
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { scopingFilterSchema, provisioningSettingsSchema } from '../../provisioning/config/settings-schema.ts';
import { openConnection } from '../../provisioning/connection/open-connection.ts';
import type { ProvisioningConfig } from '../../provisioning/config/load-config.ts';
import { provisionOnDemand } from '../../provisioning/on-demand/provision-on-demand.ts';
import { previewScope } from '../../provisioning/scoping/scope-preview.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { AppContext, RouteModule } from '../context.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['provisioning'];

const previewUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string() });
const previewListSchema = z.object({ count: z.number(), users: z.array(previewUserSchema) });
const scopePreviewSchema = z.object({
  current: z.number(),
  proposed: z.number(),
  entering: previewListSchema,
  leaving: previewListSchema,
  leavingProvisioned: z.number(),
  leavingAction: z.enum(['delete', 'suspend', 'none']),
  dropsEveryone: z.boolean(),
  staged: z.boolean(),
  note: z.string().nullable(),
});

const stepSchema = z.object({ name: z.enum(['connection', 'read', 'scope', 'match', 'action', 'result']), outcome: z.string(), detail: z.string(), data: z.record(z.string(), z.unknown()) });
const onDemandSchema = z.object({
  result: z.string(),
  steps: z.array(stepSchema),
  users: z.array(z.object({ userId: z.string(), identity: z.string(), result: z.string(), steps: z.array(stepSchema) })).optional(),
  group: z.object({ result: z.string(), detail: z.string(), events: z.array(z.record(z.string(), z.unknown())) }).optional(),
});

const onDemandEnv = (ctx: AppContext) => ({
  db: ctx.db,
  queue: ctx.queue,
  async connect(applicationId: string, config?: ProvisioningConfig) {
    const r = await openConnection({ db: ctx.db, secretKey: ctx.secretKey, targetUrls: ctx.config.targetUrls, applicationId, ...(config ? { config } : {}) });
    if (r.ok) return { ok: true as const, value: { connection: r.value.connection } };
    const advice = 'advice' in r.error ? r.error.advice : undefined;
    return { ok: false as const, error: { code: r.error.code, message: r.error.message, ...(advice ? { advice } : {}) } };
  },
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
});

export const provisioningScopeRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/apps/:id/provisioning/scope-preview',
    {
      onRequest: requirePermission('view_apps'),
      schema: {
        tags,
        summary: 'Impact of a scope or scoping filter change before saving it: users entering and leaving scope, and the accounts that would be deprovisioned',
        params: idParams,
        body: z.strictObject({ scope: provisioningSettingsSchema.shape.scope.unwrap().optional(), scopingFilters: z.array(scopingFilterSchema).max(20) }),
        response: { 200: scopePreviewSchema },
      },
    },
    async (request) => previewScope(ctx.db, request.params.id, { scope: request.body.scope, scopingFilters: request.body.scopingFilters }),
  );

  app.post(
    '/api/apps/:id/provisioning/on-demand',
    {
      onRequest: requirePermission('manage_provisioning'),
      schema: {
        tags,
        summary: 'Provision one user (or one group’s users) now, showing each step: connection, read, scope, match, action, result',
        params: idParams,
        body: z.union([z.strictObject({ userId: z.uuid() }), z.strictObject({ groupId: z.uuid() })]),
        response: { 200: onDemandSchema },
      },
    },
    async (request) => {
      await findAppRow(ctx.db, request.params.id);
      // The request's logger: an exception's details go to the server log under the stored correlation id.
      const result = await provisionOnDemand({ ...onDemandEnv(ctx), log: request.log }, request.params.id, request.body);
      await recordAudit(ctx.db, principalOf(request), { action: 'provisioning.on_demand', targetType: 'application', targetId: request.params.id, after: { ...request.body, result: result.result } }, request.id);
      return result;
    },
  );
};
