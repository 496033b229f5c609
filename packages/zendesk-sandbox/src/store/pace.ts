import { z } from 'zod';

/** How fast an account's bulk jobs run (API-NOTES §5: observed 2–10 s queue, 60–100 ms per user). */
export const paceSchema = z
  .object({
    queueDelayMs: z.number().int().min(0).max(600_000),
    perItemMs: z.number().min(0).max(60_000),
    concurrency: z.number().int().min(1).max(100),
  })
  .strict();
export type Pace = z.infer<typeof paceSchema>;

export const DEFAULT_PACE: Pace = { queueDelayMs: 3000, perItemMs: 70, concurrency: 1 };
