/**
 * The SCIMMY test peer (connectors/scim/scim-peer.test-support.ts) in a child process of its own,
 * so a benchmark measures Roster's CPU apart from the peer's: the parent forks this file and
 * drives the peer over IPC (`startScimPeerProcess`). The child's CPU is read from
 * `process.cpuUsage()` in the child.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startScimPeer, type PeerOptions, type ScimPeer } from '../packages/roster/src/connectors/scim/scim-peer.test-support.ts';

type Request = ScimPeer['requests'][number];
type Rec = ReturnType<ScimPeer['users']>[number];

type Command =
  | { cmd: 'start'; options: PeerOptions }
  | { cmd: 'limit'; perMinute: number | null }
  | { cmd: 'requests'; since: number }
  | { cmd: 'requestCount' }
  | { cmd: 'counts' }
  | { cmd: 'users' }
  | { cmd: 'groups' }
  | { cmd: 'userIdByExternalId'; externalId: string }
  | { cmd: 'groupHasMember'; displayName: string; userId: string }
  | { cmd: 'cpu' }
  | { cmd: 'loopBlockedMs' }
  | { cmd: 'close' };

export interface PeerProcess {
  baseUrl: string;
  pid: number;
  limit(perMinute: number | null): Promise<void>;
  requestCount(): Promise<number>;
  requests(since: number): Promise<Request[]>;
  /** Users, groups and memberships in the app. */
  counts(): Promise<{ users: number; groups: number; memberships: number }>;
  users(): Promise<Rec[]>;
  groups(): Promise<Rec[]>;
  userIdByExternalId(externalId: string): Promise<string | null>;
  groupHasMember(displayName: string, userId: string): Promise<boolean>;
  /** The child's CPU (user + system) in microseconds since it started. */
  cpuMicros(): Promise<number>;
  /** The longest the peer's event loop was blocked (ms, sampled every 10 ms) since it started: while blocked it reads no request. */
  loopBlockedMs(): Promise<number>;
  close(): Promise<void>;
}

/** Forks this file and starts the peer in it. */
export async function startScimPeerProcess(options: PeerOptions): Promise<PeerProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let next = 0;
  const waiting = new Map<number, (v: unknown) => void>();
  child.on('message', (m: { id: number; value: unknown }) => {
    waiting.get(m.id)?.(m.value);
    waiting.delete(m.id);
  });
  const ask = <T>(c: Command): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = (next += 1);
      waiting.set(id, resolve as (v: unknown) => void);
      child.send({ id, ...c }, (e) => e && reject(e));
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const baseUrl = await ask<string>({ cmd: 'start', options });
  return {
    baseUrl,
    pid: child.pid as number,
    limit: (perMinute) => ask({ cmd: 'limit', perMinute }),
    requestCount: () => ask({ cmd: 'requestCount' }),
    requests: (since) => ask({ cmd: 'requests', since }),
    counts: () => ask({ cmd: 'counts' }),
    users: () => ask({ cmd: 'users' }),
    groups: () => ask({ cmd: 'groups' }),
    userIdByExternalId: (externalId) => ask({ cmd: 'userIdByExternalId', externalId }),
    groupHasMember: (displayName, userId) => ask({ cmd: 'groupHasMember', displayName, userId }),
    cpuMicros: () => ask({ cmd: 'cpu' }),
    loopBlockedMs: () => ask({ cmd: 'loopBlockedMs' }),
    async close() {
      await ask({ cmd: 'close' });
      await exited;
    },
  };
}

const membersOf = (g: Rec) => (g['members'] as { value: string }[] | undefined) ?? [];

async function serve(): Promise<void> {
  let peer: ScimPeer | null = null;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('message', async (m: Command & { id: number }) => {
    const answer = (value: unknown) => process.send?.({ id: m.id, value: value ?? null });
    const p = peer;
    if (m.cmd === 'start') {
      peer = await startScimPeer(m.options);
      answer(peer.baseUrl);
      return;
    }
    if (!p) throw new Error('peer not started');
    switch (m.cmd) {
      case 'limit':
        p.limit(m.perMinute);
        return answer(null);
      case 'requestCount':
        return answer(p.requests.length);
      case 'requests':
        return answer(p.requests.slice(m.since));
      case 'counts':
        return answer({ users: p.users().length, groups: p.groups().length, memberships: p.groups().reduce((n, g) => n + membersOf(g).length, 0) });
      case 'users':
        return answer(p.users());
      case 'groups':
        return answer(p.groups());
      case 'userIdByExternalId':
        return answer(p.users().find((u) => u['externalId'] === m.externalId)?.id ?? null);
      case 'groupHasMember':
        return answer(p.groups().some((g) => g['displayName'] === m.displayName && membersOf(g).some((x) => x.value === m.userId)));
      case 'cpu': {
        const c = process.cpuUsage();
        return answer(c.user + c.system);
      }
      case 'loopBlockedMs':
        return answer(delay.max / 1e6);
      case 'close':
        await p.close();
        answer(null);
        process.disconnect();
        return;
    }
  });
}

if (process.argv.includes('--child')) await serve();
