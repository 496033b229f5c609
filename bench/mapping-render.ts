/**
 * Mapping render benchmark: the Zendesk default mappings plus expression-heavy and custom-attribute
 * mappings, compiled once and rendered (and hashed, as the engine does for links.last_hash) for
 * 100,000 directory users. Target: rendering is a small slice of the plan budget (≤ 3 s CPU for
 * 100,000 users, issue 4), so ≤ 0.5 s for 100,000 users, i.e. ≥ 200,000 users/s.
 *
 *   npx tsx bench/mapping-render.ts [--users 100000] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { BUILT_IN_FIELDS } from '../packages/roster/src/connectors/zendesk/catalog.ts';
import type { TargetField } from '../packages/roster/src/connectors/contract.ts';
import { compileMappings } from '../packages/roster/src/provisioning/mapping/compile-mappings.ts';
import { defaultSettingsFor } from '../packages/roster/src/provisioning/mapping/defaults.ts';
import { hashAttributes } from '../packages/roster/src/provisioning/mapping/hash-attributes.ts';
import { sourceAttributes, toSourceUser } from '../packages/roster/src/provisioning/mapping/source-attributes.ts';

const { values } = parseArgs({ options: { users: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } } });
const USERS = Number(values.users);
const ROUNDS = Number(values.rounds);
const TARGET_USERS_PER_SECOND = 200_000;

const fields: TargetField[] = [
  ...BUILT_IN_FIELDS,
  { key: 'user_fields.cost_center', label: 'Cost center', type: 'string', custom: true },
  { key: 'user_fields.level', label: 'Level', type: 'number', custom: true },
  { key: 'user_fields.handle', label: 'Handle', type: 'string', custom: true },
  { key: 'user_fields.region', label: 'Region', type: 'enum', custom: true, enumValues: ['emea', 'amer', 'apac', 'other'] },
];
const defaults = defaultSettingsFor('zendesk');
const mappings = [
  ...defaults.mappings,
  { target: 'tags', source: { kind: 'constant' as const, value: 'roster managed' }, apply: 'always' as const },
  { target: 'user_fields.cost_center', source: { kind: 'attribute' as const, attribute: 'custom.costCenter' }, apply: 'always' as const },
  { target: 'user_fields.level', source: { kind: 'attribute' as const, attribute: 'custom.level' }, apply: 'always' as const },
  {
    target: 'user_fields.handle',
    source: { kind: 'expression' as const, expression: 'ToLower(NormalizeDiacritics(Join(".", Left([givenName], 1), Replace([familyName], " ", ""))))' },
    apply: 'always' as const,
  },
  {
    target: 'user_fields.region',
    source: { kind: 'expression' as const, expression: 'Switch([location], "other", "Paris", "emea", "Berlin", "emea", "New York", "amer", "Tokyo", "apac")' },
    apply: 'always' as const,
  },
];
const attributes = sourceAttributes([
  { key: 'costCenter', type: 'string' },
  { key: 'level', type: 'number' },
]);

const started = process.hrtime.bigint();
const compiled = compileMappings(mappings, defaults.matching, fields, attributes);
const compileMs = Number(process.hrtime.bigint() - started) / 1e6;
if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));

const given = ['Zoë', 'José', 'Anna', 'Łukasz', 'Mei', 'Olúwadámilọ́lá', 'Sven', 'Ana Maria'];
const family = ['Ørsted', 'García Márquez', 'Smith', 'Nowak', 'Li', 'Adébáyọ̀', 'Müller', 'da Silva'];
const places = ['Paris', 'Berlin', 'New York', 'Tokyo', 'Lagos', null];
const users = Array.from({ length: USERS }, (_, i) =>
  toSourceUser({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    email: `user${i}@example.com`,
    givenName: given[i % given.length]!,
    familyName: family[(i * 7) % family.length]!,
    displayName: `${given[i % given.length]} ${family[(i * 7) % family.length]}`,
    phone: i % 3 === 0 ? null : `+1 555 ${String(i).padStart(7, '0')}`,
    mobile: `+1 666 ${String(i).padStart(7, '0')}`,
    jobTitle: i % 5 === 0 ? null : 'Support engineer',
    department: 'Support',
    employeeId: `E${i}`,
    managerId: null,
    locale: 'en-US',
    timeZone: 'Europe/Paris',
    organization: `Org ${i % 50}`,
    location: places[i % places.length]!,
    status: 'active',
    custom: { costCenter: `CC-${i % 100}`, level: i % 7 },
  }),
);

const render = compiled.value.render;
let errors = 0;
let sink = 0;
const roundsRender: number[] = [];
const roundsHash: number[] = [];
// CPU seconds, not wall time: the machine is shared, and the target is a CPU budget.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
for (let round = 0; round < ROUNDS; round++) {
  let since = process.cpuUsage();
  for (const user of users) {
    const out = render(user, true);
    errors += out.errors.length;
    sink += Object.keys(out.attributes).length;
  }
  roundsRender.push(cpuSeconds(since));
  since = process.cpuUsage();
  for (const user of users) sink += hashAttributes(render(user, false).attributes).length;
  roundsHash.push(cpuSeconds(since));
}

const best = (xs: number[]) => Math.min(...xs);
const renderS = best(roundsRender);
const renderHashS = best(roundsHash);
const perSecond = USERS / renderS;
console.log(`mapping render: ${mappings.length} mappings (${mappings.filter((m) => m.source.kind === 'expression').length} expressions), ${USERS} users, best of ${ROUNDS} rounds, CPU time`);
console.log(`  compile once:          ${compileMs.toFixed(2)} ms`);
console.log(`  render (create):       ${renderS.toFixed(3)} s  = ${Math.round(perSecond).toLocaleString('en-US')} users/s  (${(perSecond / TARGET_USERS_PER_SECOND).toFixed(2)}x the ${TARGET_USERS_PER_SECOND.toLocaleString('en-US')} users/s target)`);
console.log(`  render + hash (update): ${renderHashS.toFixed(3)} s  = ${Math.round(USERS / renderHashS).toLocaleString('en-US')} users/s`);
console.log(`  render errors: ${errors / ROUNDS} per round; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB (includes the ${USERS} generated users); checksum ${sink % 997}`);
