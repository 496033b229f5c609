/**
 * Reproduces the lost `/Bulk` (a 1,000-create request that failed on the client side and never
 * reached the SCIMMY peer) in a loop: `--workers` clients each send `--rounds` bulks of
 * `--size` user creates to the peer (in its own process, bench/scim-peer-process.ts) over Node's
 * fetch (undici, kept-alive connections, as the connector does), pausing up to `--idle-ms` (at random) between
 * their requests. Prints every failure with its cause, whether the peer's proxy saw the request,
 * and the longest time the peer's event loop was blocked.
 *
 * `--keep-alive-ms`: how long the peer keeps an idle connection (Node's default 5,000; 0: never closes one).
 *
 *   npx tsx bench/scim-lost-bulk.ts [--workers 4] [--rounds 5] [--size 1000] [--idle-ms 3000] [--keep-alive-ms 5000]
 */
import { parseArgs } from 'node:util';
import { PEER_TOKEN } from '../packages/roster/src/connectors/scim/scim-peer.test-support.ts';
import { loadAverage } from './sandbox-common.ts';
import { startScimPeerProcess } from './scim-peer-process.ts';

const { values: args } = parseArgs({ options: { workers: { type: 'string', default: '4' }, rounds: { type: 'string', default: '5' }, size: { type: 'string', default: '1000' }, 'idle-ms': { type: 'string', default: '3000' }, 'keep-alive-ms': { type: 'string', default: '5000' } } });
const WORKERS = Number(args.workers);
const ROUNDS = Number(args.rounds);
const SIZE = Number(args.size);
const IDLE = Number(args['idle-ms']);
const KEEP_ALIVE = Number(args['keep-alive-ms']);

const peer = await startScimPeerProcess({ bulk: { maxOperations: SIZE, maxPayloadSize: 4_194_304 }, maxResults: 100, empty: true, keepAliveTimeoutMs: KEEP_ALIVE });
const bulk = (w: number, r: number) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
  Operations: Array.from({ length: SIZE }, (_, i) => ({ method: 'POST', path: '/Users', bulkId: `c${i}`, data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `w${w}r${r}u${i}@lost.example.com`, externalId: `w${w}r${r}u${i}`, active: true } })),
});
const failures: string[] = [];
let sent = 0;
console.log(`${WORKERS} clients × ${ROUNDS} bulks of ${SIZE} creates, ${IDLE} ms (at most, at random) between a client's requests; ${KEEP_ALIVE > 0 ? `the peer closes idle connections after ${KEEP_ALIVE} ms` : 'the peer never closes an idle connection'}; ${loadAverage()}`);
await Promise.all(
  Array.from({ length: WORKERS }, async (_, w) => {
    for (let r = 0; r < ROUNDS; r += 1) {
      const body = JSON.stringify(bulk(w, r));
      const at = Date.now();
      sent += 1;
      try {
        const res = await fetch(`${peer.baseUrl}/Bulk`, { method: 'POST', headers: { authorization: `Bearer ${PEER_TOKEN}`, 'content-type': 'application/scim+json' }, body, signal: AbortSignal.timeout(300_000) });
        await res.text();
      } catch (e) {
        const error = e as Error & { cause?: { code?: string; message?: string } };
        failures.push(`client ${w} round ${r}: ${error.message} (${error.cause?.code ?? ''} ${error.cause?.message ?? ''}) after ${Date.now() - at} ms`);
      }
      await new Promise((res) => setTimeout(res, Math.random() * IDLE));
    }
  }),
);
const seen = (await peer.requests(0)).filter((q) => q.path.endsWith('/Bulk'));
console.log(`sent ${sent}; failed on the client ${failures.length}; the proxy recorded ${seen.length} (${seen.filter((q) => q.error).map((q) => q.error).join(', ') || 'none lost between the proxy and SCIMMY'})`);
for (const f of failures) console.log(`  ${f}`);
console.log(`users in the app ${(await peer.counts()).users} of ${(sent - failures.length) * SIZE} from the answered bulks; the peer's event loop blocked up to ${(await peer.loopBlockedMs()).toFixed(0)} ms; ${loadAverage()}`);
await peer.close();
