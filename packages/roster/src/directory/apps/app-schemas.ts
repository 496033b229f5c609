/** The shapes of applications at the API boundary. `settings` is checked by the gallery entry. */
import { z } from 'zod';
import { plainText } from '../text.ts';
import { gallery } from './gallery.ts';

const displayName = plainText().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const settings = z.record(z.string(), z.unknown()).describe("The gallery entry's settings (GET /api/gallery lists each type's), e.g. { subdomain }");

export const createAppSchema = z.strictObject({
  type: z.enum(gallery.map((e) => e.key) as [string, ...string[]]).describe('A gallery entry key (GET /api/gallery)'),
  displayName,
  settings,
});
export type CreateAppInput = z.infer<typeof createAppSchema>;

export const updateAppSchema = z.strictObject({
  displayName: displayName.optional(),
  settings: settings.optional(),
  /**
   * Moving a connected application to another account (e.g. another subdomain): `true` switches
   * provisioning off and drops its credentials and links in the same step; without it the move is
   * refused (409 connected_target_change).
   */
  disconnect: z.boolean().optional(),
  /** Or send If-Match. */
  version: z.number().int().positive().optional(),
});
export type UpdateAppInput = z.infer<typeof updateAppSchema>;

export const applicationSchema = z.object({
  id: z.string(),
  type: z.string(),
  /** The gallery entry's name. */
  typeName: z.string(),
  displayName: z.string(),
  settings: z.record(z.string(), z.unknown()),
  /** Where the target lives, e.g. https://acme.example.com. */
  targetUrl: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Application = z.infer<typeof applicationSchema>;
