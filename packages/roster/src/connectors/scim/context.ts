/** What the user, group and bulk calls of one connection share. */
import { ok } from '../../errors/result.ts';
import type { ConnectorDeps, ConnectorResult } from '../contract.ts';
import type { ScimConfig } from './config.ts';
import { discover, type ScimDiscovery } from './discovery.ts';
import { discoveryKey, processDiscoveryCache, type DiscoveryCache } from './discovery-cache.ts';
import type { ScimHttp } from './http.ts';

export interface ScimContext {
  http: ScimHttp;
  config: ScimConfig;
  deps: ConnectorDeps;
  /**
   * Discovery, read once per connection and shared with the process's other connections of the
   * same config for `discoveryCacheMs` (discovery-cache.ts); `fresh` reads it again (Test
   * connection). A failed read is tried again next time.
   */
  discovery(options?: { fresh?: boolean }): Promise<ConnectorResult<ScimDiscovery>>;
  /** The app answered against what discovery says: the shared entry is dropped, the next connection reads afresh. */
  contradicted(reason: string): void;
  /** Resource id → the version (ETag) it last carried, for `If-Match` when the app supports ETags. */
  versions: Map<string, string>;
  /** Bulk turned off for this connection after the app refused /Bulk despite advertising it. */
  bulkRefused: boolean;
  /** PATCH turned off (PUT instead) after the app answered 405/501 to it despite advertising it. */
  patchRefused: boolean;
}

/** Whether writes use PATCH: advertised, and not refused on this connection. */
export const usesPatch = (ctx: ScimContext, d: ScimDiscovery): boolean => d.features.patch && !ctx.patchRefused;
/** A 405 or 501 to a PATCH the app advertised: from now on this connection writes with PUT. */
export function refusedPatch(ctx: ScimContext, status: number): boolean {
  if (status !== 405 && status !== 501) return false;
  ctx.patchRefused = true;
  ctx.deps.log?.({ msg: 'scim app advertises PATCH but refused it; PUT from now on', status });
  ctx.contradicted(`PATCH answered ${status}`);
  return true;
}

export function createContext(http: ScimHttp, config: ScimConfig, deps: ConnectorDeps, cache: DiscoveryCache = processDiscoveryCache): ScimContext {
  let cached: ScimDiscovery | null = null;
  let reading: Promise<ConnectorResult<ScimDiscovery>> | null = null;
  const key = discoveryKey(config);
  return {
    http,
    config,
    deps,
    versions: new Map(),
    bulkRefused: false,
    patchRefused: false,
    discovery(options) {
      const fresh = options?.fresh === true;
      if (cached && !fresh) return Promise.resolve(ok(cached));
      if (fresh) reading = null;
      reading ??= cache.read(key, deps.now(), config.discoveryCacheMs, () => discover(http), fresh).then((r) => {
        reading = null;
        if (r.ok) cached = r.value;
        return r;
      });
      return reading;
    },
    contradicted(reason) {
      cache.forget(key);
      deps.log?.({ msg: 'scim app contradicts its discovery; read again by the next connection', reason });
    },
  };
}
