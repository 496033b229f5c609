/**
 * What an app supports (`/ServiceProviderConfig`, `/ResourceTypes`, `/Schemas`), shared by the
 * connections of one process for a bounded time: each incremental job opens a connection, and
 * without this each one-member change cost three discovery reads besides its write.
 *
 * The key is a hash of the whole connector config (base URL, method, credentials, options): a
 * saved connection that changes anything is another key, so it is read afresh. An entry lives
 * `discoveryCacheMs` (default 10 minutes) and is dropped earlier when the app contradicts it (a
 * refused PATCH or `/Bulk`, a bulk limit lower than advertised: context.ts `contradicted`) and
 * replaced by Test connection, which always reads afresh. Failed reads are not kept.
 */
import { createHash } from 'node:crypto';
import type { ConnectorResult } from '../contract.ts';
import type { ScimConfig } from './config.ts';
import type { ScimDiscovery } from './discovery.ts';

/** Entries kept at most; the oldest goes first (one per connected SCIM application in practice). */
const MAX_ENTRIES = 200;

interface Entry {
  readAt: number;
  reading: Promise<ConnectorResult<ScimDiscovery>>;
}

export interface DiscoveryCache {
  /**
   * The entry for `key` when it was read within `ttlMs` of `now`, else `load()` (shared by callers
   * that ask while it runs). `fresh`: always `load()`, replacing the entry.
   */
  read(key: string, now: number, ttlMs: number, load: () => Promise<ConnectorResult<ScimDiscovery>>, fresh?: boolean): Promise<ConnectorResult<ScimDiscovery>>;
  forget(key: string): void;
  size(): number;
}

export function createDiscoveryCache(maxEntries = MAX_ENTRIES): DiscoveryCache {
  const entries = new Map<string, Entry>();
  return {
    read(key, now, ttlMs, load, fresh = false) {
      const hit = entries.get(key);
      if (hit && !fresh && ttlMs > 0 && now - hit.readAt < ttlMs) return hit.reading;
      const reading = load().then((r) => {
        // Only a successful read is shared; a failed one is tried again by the next connection.
        if (!r.ok && entries.get(key)?.reading === reading) entries.delete(key);
        return r;
      });
      if (ttlMs <= 0) return reading;
      entries.delete(key);
      entries.set(key, { readAt: now, reading });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return reading;
    },
    forget(key) {
      entries.delete(key);
    },
    size: () => entries.size,
  };
}

/** The process's cache: every connection of this worker (or API process) shares it. */
export const processDiscoveryCache = createDiscoveryCache();

/** A hash of the whole config, keys sorted: any change to the stored connection is another key (the secrets never leave the hash). */
export function discoveryKey(config: ScimConfig): string {
  const stable = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(stable)).digest('hex');
}
