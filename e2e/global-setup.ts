/**
 * Before the browser tests: build the admin UI when its sources changed, start Roster with the
 * sandbox, and leave its facts in artifacts/state/server.json for the scenarios. Returns the teardown.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { repoDir, serverFile, stateDir } from './support/paths.ts';
import { startRoster } from './support/roster-server.ts';

export default async function globalSetup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [path.join(repoDir, 'packages', 'web', 'scripts', 'build-if-stale.mjs')], { stdio: 'inherit' });
  await fs.rm(stateDir, { recursive: true, force: true });
  await fs.mkdir(stateDir, { recursive: true });
  const started = Date.now();
  const roster = await startRoster({ ownerEmail: 'owner@roster.example.com' });
  console.log(`Roster for e2e at ${roster.facts.url} (${roster.facts.driver}), sandbox ${roster.facts.sandboxUrl}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await fs.writeFile(serverFile, JSON.stringify(roster.facts, null, 2));
  process.env['ROSTER_E2E_URL'] = roster.facts.url;
  return () => roster.stop();
}
