/**
 * Scoping filter benchmark: 100,000 directory users flattened and evaluated against three filters
 * (text equals + number comparison; a regex + not_in_group; in_group), as the desired state does
 * for a full cycle. The plan bench's budget for a 100k cycle is ≤ 3 s CPU; scoping must be a small
 * part of it.
 *
 *   npx tsx bench/scoping-evaluate.ts [--users 100000]
 */
import { parseArgs } from 'node:util';
import type { ScopingFilter } from '../packages/roster/src/provisioning/config/settings-schema.ts';
import { type DirectoryUserLike, toSourceUser } from '../packages/roster/src/provisioning/mapping/source-attributes.ts';
import { compileScope } from '../packages/roster/src/provisioning/scoping/evaluate-scope.ts';

const { values: args } = parseArgs({ options: { users: { type: 'string', default: '100000' } } });
const N = Number(args.users);
const TARGET_CPU_S = 0.5;

const GROUP = '11111111-1111-4111-8111-111111111111';
const EXCLUDED = '22222222-2222-4222-8222-222222222222';
const filters: ScopingFilter[] = [
  { name: 'Senior sales', clauses: [{ attribute: 'department', operator: 'equals', value: 'Sales' }, { attribute: 'custom.level', operator: 'greater_than', value: 2 }] },
  { name: 'Engineers', clauses: [{ attribute: 'email', operator: 'regex_match', value: '@eng\\.example\\.com$' }, { attribute: 'groups', operator: 'not_in_group', value: EXCLUDED }] },
  { name: 'Support', clauses: [{ attribute: 'groups', operator: 'in_group', value: GROUP }] },
];
const users: DirectoryUserLike[] = [];
const groupsOf = new Map<string, Set<string>>();
for (let i = 0; i < N; i++) {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  users.push({
    id,
    email: `user${i}@${i % 4 === 0 ? 'eng.' : ''}example.com`,
    givenName: 'User',
    familyName: String(i),
    displayName: `User ${i}`,
    phone: null,
    mobile: null,
    jobTitle: 'Staff',
    department: i % 3 === 0 ? 'Sales' : 'Support',
    employeeId: String(100000 + i),
    managerId: null,
    locale: 'en-US',
    timeZone: 'Europe/Paris',
    organization: 'Acme',
    location: null,
    status: 'active',
    custom: { level: i % 5, contractor: i % 7 === 0 },
  });
  if (i % 10 === 0) groupsOf.set(id, new Set([i % 20 === 0 ? GROUP : EXCLUDED]));
}
const none = new Set<string>();

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const compiled = compileScope(filters);
let inScope = 0;
for (const u of users) if (compiled.passes(toSourceUser(u), groupsOf.get(u.id) ?? none)) inScope++;
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuS = (cpu.user + cpu.system) / 1e6;

console.log(`scoping of ${N} users against ${filters.length} filters: ${inScope} in scope`);
console.log(`  wall ${(wall / 1000).toFixed(2)} s, CPU ${cpuS.toFixed(2)} s (target ≤ ${TARGET_CPU_S} s, ratio ${(cpuS / TARGET_CPU_S).toFixed(2)})`);
