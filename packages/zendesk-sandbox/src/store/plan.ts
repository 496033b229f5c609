import { z } from 'zod';

/** Plan names the control API accepts; `high_volume` is the High Volume API add-on. */
export const planNameSchema = z.enum([
  'team',
  'growth',
  'professional',
  'enterprise',
  'enterprise_plus',
  'high_volume',
  'unlimited',
]);
export type PlanName = z.infer<typeof planNameSchema>;

/** Requests per minute per plan (API-NOTES §6.3); `null` = no account budget. */
const REQUESTS_PER_MINUTE: Record<PlanName, number | null> = {
  team: 200,
  growth: 400,
  professional: 400,
  enterprise: 700,
  enterprise_plus: 2500,
  high_volume: 2500,
  unlimited: null,
};

/** What the account is allowed to do; every limit is read from here. */
export interface Plan {
  name: PlanName;
  requestsPerMinute: number | null;
  bulkImport: boolean;
  customRoles: boolean;
  /** `false` switches off every rate limit (account, per-user, incremental) — for benches. */
  limits: boolean;
  /** Incremental users cursor export per minute: 20, or 60 with High Volume / Enterprise Plus. */
  incrementalPerMinute: number;
  maxInflightJobs: number;
  /** How recent changes the incremental export holds back (Zendesk: the last minute). */
  exportLagMs: number;
}

export const planOptionsSchema = z
  .object({
    plan: planNameSchema.optional(),
    requestsPerMinute: z.number().int().positive().nullable().optional(),
    bulkImport: z.boolean().optional(),
    customRoles: z.boolean().optional(),
    limits: z.boolean().optional(),
    maxInflightJobs: z.number().int().positive().optional(),
    exportLagMs: z.number().int().min(0).optional(),
  })
  .strict();
export type PlanOptions = z.infer<typeof planOptionsSchema>;

/** Builds a plan from a name plus overrides; overrides win. */
export function resolvePlan(options: PlanOptions, base?: Plan): Plan {
  const name = options.plan ?? base?.name ?? 'enterprise';
  const nameChanged = options.plan !== undefined && options.plan !== base?.name;
  const highVolume = name === 'high_volume' || name === 'enterprise_plus' || name === 'unlimited';
  const defaults: Plan = {
    name,
    requestsPerMinute: REQUESTS_PER_MINUTE[name],
    bulkImport: true,
    customRoles: name === 'enterprise' || name === 'enterprise_plus' || name === 'unlimited',
    limits: true,
    incrementalPerMinute: highVolume ? 60 : 20,
    maxInflightJobs: 30,
    exportLagMs: 60_000,
  };
  const start = base && !nameChanged ? base : { ...defaults, ...(base ? { bulkImport: base.bulkImport, limits: base.limits } : {}) };
  return {
    ...start,
    ...(options.requestsPerMinute !== undefined ? { requestsPerMinute: options.requestsPerMinute } : {}),
    ...(options.bulkImport !== undefined ? { bulkImport: options.bulkImport } : {}),
    ...(options.customRoles !== undefined ? { customRoles: options.customRoles } : {}),
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
    ...(options.maxInflightJobs !== undefined ? { maxInflightJobs: options.maxInflightJobs } : {}),
    ...(options.exportLagMs !== undefined ? { exportLagMs: options.exportLagMs } : {}),
  };
}
