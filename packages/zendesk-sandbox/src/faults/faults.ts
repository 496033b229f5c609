import { z } from 'zod';
import { createPrng } from './prng.ts';

const rate = z.number().min(0).max(1);

/** Body of `PUT /__sandbox/accounts/{sub}/faults`; every field optional, absent = off. */
export const faultConfigSchema = z
  .object({
    seed: z.number().int().optional(),
    errorRate: rate.optional(),
    serviceUnavailableRate: rate.optional(),
    retryAfterSec: z.number().int().min(0).max(3600).optional(),
    rateLimitStorm: z
      .object({ count: z.number().int().min(0).optional(), untilMs: z.number().int().min(0).optional() })
      .strict()
      .optional(),
    latencyMs: z
      .object({ fixed: z.number().min(0).max(60_000).optional(), random: z.number().min(0).max(60_000).optional() })
      .strict()
      .optional(),
    dropRate: rate.optional(),
    jobFailureRate: rate.optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof faultConfigSchema>;

/** What the server should do to one request before handling it. */
export type FaultDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'error'; delayMs: number; status: 500 | 503; retryAfterSec: number | null }
  | { kind: 'storm'; delayMs: number };

/** An account's active faults, drawing from one seeded PRNG in request order. */
export class FaultState {
  config: FaultConfig = {};
  private random: () => number = createPrng(1);
  private stormLeft = 0;
  private stormUntil = 0;

  set(config: FaultConfig, now = Date.now()): void {
    this.config = config;
    this.random = createPrng(config.seed ?? 1);
    this.stormLeft = config.rateLimitStorm?.count ?? 0;
    this.stormUntil = config.rateLimitStorm?.untilMs !== undefined ? now + config.rateLimitStorm.untilMs : 0;
  }

  get active(): boolean {
    return Object.keys(this.config).some((k) => k !== 'seed');
  }

  decide(now = Date.now()): FaultDecision {
    const c = this.config;
    const delayMs = (c.latencyMs?.fixed ?? 0) + (c.latencyMs?.random ? this.random() * c.latencyMs.random : 0);
    if (c.dropRate && this.random() < c.dropRate) return { kind: 'drop', delayMs };
    if (this.stormLeft > 0) {
      this.stormLeft -= 1;
      return { kind: 'storm', delayMs };
    }
    if (now < this.stormUntil) return { kind: 'storm', delayMs };
    if (c.serviceUnavailableRate && this.random() < c.serviceUnavailableRate) {
      return { kind: 'error', delayMs, status: 503, retryAfterSec: c.retryAfterSec ?? 1 };
    }
    if (c.errorRate && this.random() < c.errorRate) return { kind: 'error', delayMs, status: 500, retryAfterSec: null };
    return { kind: 'none', delayMs };
  }

  jobShouldFail(): boolean {
    const r = this.config.jobFailureRate;
    return r !== undefined && r > 0 && this.random() < r;
  }
}
