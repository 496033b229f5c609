/** Where the e2e run keeps its state (gitignored): server facts, the owner's session, screenshots. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = path.resolve(e2eDir, '..');
export const artifactsDir = path.join(e2eDir, 'artifacts');
export const stateDir = path.join(artifactsDir, 'state');
export const serverFile = path.join(stateDir, 'server.json');
export const ownerFile = path.join(stateDir, 'owner.json');
export const ownerStorageFile = path.join(stateDir, 'owner-storage.json');
export const screenshotsDir = path.join(artifactsDir, 'screenshots');
/** Screenshots the user guide embeds (docs/guide/img), rewritten by every run. */
export const guideImgDir = path.join(repoDir, 'docs', 'guide', 'img');
/** Migrated PGlite folders, one per migration set, reused across runs. */
export const templateCacheDir = path.join(e2eDir, '.cache');
