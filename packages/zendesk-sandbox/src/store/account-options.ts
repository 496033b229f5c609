import { z } from 'zod';
import { paceSchema } from './pace.ts';
import { planOptionsSchema } from './plan.ts';

export const oauthSettingsSchema = z
  .object({
    accessTokenTtlSec: z.number().int().positive().nullable(),
    refreshTokenTtlSec: z.number().int().positive(),
    codeTtlMs: z.number().int().positive(),
  })
  .partial()
  .strict();

/** Body of `POST /__sandbox/accounts` (and the CLI's default account). Unknown keys are refused. */
export const accountOptionsSchema = planOptionsSchema
  .extend({
    subdomain: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    pace: paceSchema.partial().optional(),
    oauth: oauthSettingsSchema.optional(),
    adminName: z.string().min(1).optional(),
    adminEmail: z.email().optional(),
    adminPassword: z.string().min(1).optional(),
    apiToken: z.string().min(1).optional(),
    oauthClientId: z.string().min(1).optional(),
    oauthClientSecret: z.string().min(1).optional(),
    oauthRedirectUris: z.array(z.url()).optional(),
  })
  .strict();
export type AccountOptions = z.infer<typeof accountOptionsSchema>;

/** Body of `PATCH /__sandbox/accounts/{sub}`. */
export const accountPatchSchema = planOptionsSchema
  .extend({ pace: paceSchema.partial().optional(), oauth: oauthSettingsSchema.optional() })
  .strict();
export type AccountPatch = z.infer<typeof accountPatchSchema>;
