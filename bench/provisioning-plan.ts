/**
 * Plan computation benchmark: 100,000 desired users against 100,000 links and a 100,000-user
 * target snapshot (a periodic cycle: matching index, drift compare), with 1% renamed, 1%
 * deactivated, 1% new and 1% unassigned. Target: ≤ 3 s CPU, ≤ 400 MB RSS.
 *
 *   npx tsx bench/provisioning-plan.ts [--users 100000]
 */
import { parseArgs } from 'node:util';
import type { TargetUser } from '../packages/roster/src/connectors/contract.ts';
import { defaultSettings } from '../packages/roster/src/provisioning/config/settings-schema.ts';
import { hashAttributes } from '../packages/roster/src/provisioning/mapping/hash-attributes.ts';
import { planUsers } from '../packages/roster/src/provisioning/diff/plan.ts';
import type { DesiredUser, UserLink } from '../packages/roster/src/provisioning/diff/plan-types.ts';

const { values: args } = parseArgs({ options: { users: { type: 'string', default: '100000' } } });
const N = Number(args.users);
const TARGET_CPU_S = 3;
const TARGET_RSS_MB = 400;

const id = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const attrs = (i: number, renamed = false) => ({ name: renamed ? `User ${i} Renamed` : `User ${i}`, email: `user${i}@example.com`, phone: null, time_zone: 'Europe/Paris', locale: 'en-US', organization: 'Acme' });

const desired: DesiredUser[] = [];
const links: UserLink[] = [];
const snapshot: TargetUser[] = [];
for (let i = 0; i < N; i++) {
  const renamed = i % 100 === 1;
  const a = attrs(i, renamed);
  const hash = hashAttributes({ attributes: a, roleKey: 'agent', externalId: id(i) });
  if (i % 100 !== 3) desired.push({ directoryId: id(i), identity: a.email, externalId: id(i), roleKey: 'agent', suspended: i % 100 === 2, attributes: a, createAttributes: {}, hash });
  if (i % 100 === 4) continue; // new: no link, no account
  const written = attrs(i);
  links.push({ directoryId: id(i), targetId: String(1_000_000 + i), lastHash: renamed ? 'old' : hash, lastWritten: { externalId: id(i), roleKey: 'agent', suspended: false, attributes: written }, state: 'provisioned' });
  // The target reports every mapped field, so the drift compare covers each of them.
  snapshot.push({ id: String(1_000_000 + i), externalId: id(i), email: written.email, name: written.name, roleKey: 'agent', suspended: false, active: true, attributes: { ...written } });
}

global.gc?.();
const rssBefore = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const plan = planUsers({ desired, skipped: [], links, snapshot, settings: defaultSettings(), capabilities: { suspend: true } });
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;
const rssMb = process.memoryUsage().rss / 2 ** 20;
const kinds: Record<string, number> = {};
for (const a of plan.actions) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;

console.log(`plan of ${N} users (with links and a target snapshot)`);
console.log(`  actions: ${JSON.stringify(kinds)}, unchanged: ${plan.unchanged}`);
console.log(`  wall ${(wall / 1000).toFixed(2)} s, CPU ${cpuS.toFixed(2)} s (target ≤ ${TARGET_CPU_S} s, ratio ${(cpuS / TARGET_CPU_S).toFixed(2)})`);
console.log(`  RSS ${rssMb.toFixed(0)} MB after (inputs included; ${(rssBefore / 2 ** 20).toFixed(0)} MB before planning) (target ≤ ${TARGET_RSS_MB} MB, ratio ${(rssMb / TARGET_RSS_MB).toFixed(2)})`);
