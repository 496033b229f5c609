/**
 * The Provisioning tab of an application: configuration (GET/PATCH with If-Match), connection,
 * Test connection, the connected account's roles and fields, mapping preview, on/off, on-demand
 * cycles. Reads need view_apps, writes manage_provisioning. OAuth and the log: see
 * provisioning-oauth.ts and provisioning-logs.ts, registered from here.
 */
import { z } from 'zod';
import { recordAudit } from '../../audit/audit.ts';
import { findAppRow } from '../../directory/apps/app-view.ts';
import { AppError } from '../../errors/app-error.ts';
import { configViewSchema, toConfigView } from '../../provisioning/config/config-view.ts';
import { connectionBodySchema } from '../../provisioning/config/connection-schema.ts';
import { parseConnectionInput } from '../../provisioning/config/connection-input.ts';
import { loadProvisioningConfig } from '../../provisioning/config/load-config.ts';
import { previewForUser } from '../../provisioning/config/mapping-preview.ts';
import { saveConnection } from '../../provisioning/config/save-connection.ts';
import { saveSettings } from '../../provisioning/config/save-settings.ts';
import { setEnabled } from '../../provisioning/config/set-enabled.ts';
import { setPaused } from '../../provisioning/config/set-paused.ts';
import { fieldMappingSchema, provisioningSettingsPatchSchema } from '../../provisioning/config/settings-schema.ts';
import { oauthRedirectUrl } from '../../provisioning/connection/oauth-flow.ts';
import { lastTestOf, recordLastTest } from '../../provisioning/connection/last-test.ts';
import { openOrFail, readCatalogue, testConnection } from '../../provisioning/connection/test-connection.ts';
import { testConnectionValues } from '../../provisioning/connection/test-values.ts';
import { ensureQueues } from '../../jobs/queue.ts';
import { provisioningQueues } from '../../provisioning/triggers/job-names.ts';
import { requestCycle } from '../../provisioning/triggers/request-cycle.ts';
import { principalOf, requirePermission } from '../auth.ts';
import type { AppContext, RouteModule } from '../context.ts';
import { expectedVersion, requiredVersion, setEtag } from '../if-match.ts';
import { provisioningLogRoutes } from './provisioning-logs.ts';
import { provisioningOAuthRoutes } from './provisioning-oauth.ts';

const idParams = z.object({ id: z.uuid() });
const tags = ['provisioning'];

const checkResponseSchema = z.object({
  ok: z.boolean(),
  steps: z.array(z.object({ name: z.string(), ok: z.boolean(), message: z.string() })),
  actingAs: z.object({ id: z.string(), email: z.string().nullable(), role: z.string() }).nullable(),
  warnings: z.array(z.string()),
  capabilities: z.record(z.string(), z.unknown()).nullable(),
});

const catalogueResponse = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), readAt: z.string() });
const roleSchema = z.object({ key: z.string(), label: z.string(), kind: z.string(), description: z.string().optional(), typeCode: z.number().nullable().optional() });
const fieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  type: z.string(),
  enumValues: z.array(z.string()).optional(),
  custom: z.boolean(),
  createOnly: z.boolean().optional(),
  matchable: z.boolean().optional(),
  required: z.boolean().optional(),
  clearable: z.boolean().optional(),
});

export const connectionDeps = (ctx: AppContext, applicationId: string) => ({
  db: ctx.db,
  secretKey: ctx.secretKey,
  targetUrls: ctx.config.targetUrls,
  applicationId,
});

export const provisioningRoutes: RouteModule = (app, ctx) => {
  const read = { onRequest: requirePermission('view_apps') };
  const write = { onRequest: requirePermission('manage_provisioning') };
  // Read per request: on port 0 the public URL is known only once the server listens.
  const view = (config: Awaited<ReturnType<typeof loadProvisioningConfig>>) => toConfigView(config, oauthRedirectUrl(ctx.config.publicUrl));

  app.get('/api/apps/:id/provisioning', { ...read, schema: { tags, summary: 'Read the provisioning configuration (never secrets)', params: idParams, response: { 200: configViewSchema } } }, async (request, reply) => {
    const config = await loadProvisioningConfig(ctx.db, request.params.id);
    setEtag(reply, config.version);
    return view(config);
  });

  app.patch(
    '/api/apps/:id/provisioning',
    {
      ...write,
      schema: {
        tags,
        summary: 'Change provisioning settings (If-Match or version required); mappings are checked against the target fields',
        params: idParams,
        body: z.strictObject({ settings: provisioningSettingsPatchSchema, version: z.number().int().positive().optional() }),
        response: { 200: configViewSchema },
      },
    },
    async (request, reply) => {
      const config = await saveSettings(ctx.db, principalOf(request), request.params.id, request.body.settings, requiredVersion(request, request.body.version), { requestId: request.id });
      setEtag(reply, config.version);
      return view(config);
    },
  );

  app.put(
    '/api/apps/:id/provisioning/connection',
    { ...write, schema: { tags, summary: "Save the connection: a method of the application's connector and its form fields (If-Match or version required)", params: idParams, body: connectionBodySchema, response: { 200: configViewSchema } } },
    async (request, reply) => {
      const { version, ...body } = request.body;
      const input = await parseConnectionInput(ctx.db, request.params.id, body);
      const config = await saveConnection(ctx.db, ctx.secretKey, principalOf(request), request.params.id, input, requiredVersion(request, version), { requestId: request.id, queue: ctx.queue });
      setEtag(reply, config.version);
      return view(config);
    },
  );

  app.post('/api/apps/:id/provisioning/test', { ...write, schema: { tags, summary: 'Test connection: each step with its outcome, and what the account can do', params: idParams, response: { 200: checkResponseSchema } } }, async (request) => {
    const tested = await testConnection(connectionDeps(ctx, request.params.id));
    if (!tested.ok) throw tested.error;
    const { report, capabilities } = tested.value;
    await recordLastTest(ctx.db, request.params.id, lastTestOf(report));
    return { ok: report.ok, steps: report.steps, actingAs: report.actingAs ?? null, warnings: report.warnings, capabilities: capabilities as Record<string, unknown> | null };
  });

  app.post(
    '/api/apps/:id/provisioning/test-values',
    { ...write, schema: { tags, summary: 'Test connection on unsaved values (any method but OAuth authorization): nothing is stored', params: idParams, body: connectionBodySchema, response: { 200: checkResponseSchema } } },
    async (request) => {
      const tested = await testConnectionValues({ db: ctx.db, targetUrls: ctx.config.targetUrls, applicationId: request.params.id, values: await parseConnectionInput(ctx.db, request.params.id, request.body) });
      if (!tested.ok) throw tested.error;
      const { report, capabilities } = tested.value;
      return { ok: report.ok, steps: report.steps, actingAs: report.actingAs ?? null, warnings: report.warnings, capabilities: capabilities as Record<string, unknown> | null };
    },
  );

  const catalogue = async (applicationId: string) => {
    const opened = await openOrFail(connectionDeps(ctx, applicationId));
    if (!opened.ok) throw opened.error;
    const read = await readCatalogue(ctx.db, opened.value);
    if (!read.ok) throw read.error;
    return read.value;
  };

  app.get('/api/apps/:id/provisioning/roles', { ...read, schema: { tags, summary: "The connected account's roles (read live)", params: idParams, response: { 200: catalogueResponse(roleSchema) } } }, async (request) => {
    const c = await catalogue(request.params.id);
    return { items: c.roles, readAt: c.readAt };
  });

  app.get('/api/apps/:id/provisioning/fields', { ...read, schema: { tags, summary: "The connected account's user fields (read live)", params: idParams, response: { 200: catalogueResponse(fieldSchema) } } }, async (request) => {
    const c = await catalogue(request.params.id);
    return { items: c.fields, readAt: c.readAt };
  });

  app.post(
    '/api/apps/:id/provisioning/mapping-preview',
    { ...read, schema: { tags, summary: 'What one mapping would write for one directory user', params: idParams, body: z.strictObject({ mapping: fieldMappingSchema, userId: z.uuid() }) } },
    async (request) => previewForUser(ctx.db, request.params.id, request.body.mapping, request.body.userId),
  );

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    app.post(
      `/api/apps/:id/provisioning/${verb}`,
      {
        ...write,
        schema: { tags, summary: enabled ? 'Switch provisioning on: Test connection must pass; starts the initial cycle' : 'Switch provisioning off', params: idParams, response: { 200: configViewSchema } },
      },
      async (request, reply) => {
        const config = await setEnabled({ db: ctx.db, queue: ctx.queue, secretKey: ctx.secretKey, targetUrls: ctx.config.targetUrls }, principalOf(request), request.params.id, enabled, expectedVersion(request), { requestId: request.id });
        setEtag(reply, config.version);
        return view(config);
      },
    );
  }

  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    app.post(
      `/api/apps/:id/provisioning/${verb}`,
      { ...write, schema: { tags, summary: paused ? 'Pause a switched-on application: no work starts until resumed' : 'Resume: state idle and a catch-up cycle', params: idParams, response: { 200: configViewSchema } } },
      async (request, reply) => {
        const config = await setPaused(ctx.db, ctx.queue, principalOf(request), request.params.id, paused, expectedVersion(request), { requestId: request.id });
        setEtag(reply, config.version);
        return view(config);
      },
    );
  }

  app.post(
    '/api/apps/:id/provisioning/cycles',
    { ...write, schema: { tags, summary: 'Run a full cycle now (provisioning must be on)', params: idParams, response: { 202: z.object({ jobId: z.string().nullable() }) } } },
    async (request, reply) => {
      const queue = ctx.queue;
      await findAppRow(ctx.db, request.params.id);
      if (!queue) throw new AppError('unavailable', 'This process runs without a job queue, so it cannot start cycles.');
      await ensureQueues(queue, [provisioningQueues.cycle]);
      const jobId = await ctx.db.transaction(async (tx) => {
        await findAppRow(tx, request.params.id);
        const config = await loadProvisioningConfig(tx, request.params.id);
        if (!config.enabled) throw new AppError('conflict', 'Provisioning is off for this application: switch it on first (POST …/provisioning/enable).', { issues: [{ path: 'enabled', reason: 'provisioning is off' }] });
        await recordAudit(tx, principalOf(request), { action: 'provisioning.cycle.request', targetType: 'application', targetId: request.params.id, after: { kind: 'on_demand' } }, request.id);
        return requestCycle(tx, queue, request.params.id, 'on_demand');
      });
      return reply.status(202).send({ jobId });
    },
  );

  provisioningOAuthRoutes(app, ctx);
  provisioningLogRoutes(app, ctx);
};
