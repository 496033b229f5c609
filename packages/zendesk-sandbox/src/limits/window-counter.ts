/** Result of taking one request from a budget. */
export interface Budget {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (≥ 1). */
  readonly resetSec: number;
}

/**
 * Fixed 60-second (by default) windows per key. Zendesk does not document its window shape; a
 * fixed window makes `Retry-After` exact, which is what clients act on.
 */
export class WindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly windowMs = 60_000) {}

  take(key: string, limit: number, now = Date.now()): Budget {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    const resetSec = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= limit) return { allowed: false, limit, remaining: 0, resetSec };
    w.count += 1;
    return { allowed: true, limit, remaining: limit - w.count, resetSec };
  }

  clear(): void {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}
