/**
 * An in-process API on a test database, plus admins with API tokens, for integration tests that
 * drive HTTP with `app.inject`.
 */
import { loadConfig } from '../src/config/config.ts';
import { buildApp } from '../src/api/app.ts';
import type { ApiApp, AppContext } from '../src/api/context.ts';
import type { Permission } from '../src/admins/permissions.ts';
import { randomBytes, scrypt } from 'node:crypto';
import { newToken, sha256 } from '../src/admins/secrets.ts';
import { admins, apiTokens } from '../src/db/schema.ts';
import type { Db } from '../src/db/database.ts';
import { type Driver, type TestDatabase, openTestDatabase } from './test-database.ts';

export interface TestApp {
  app: ApiApp;
  ctx: AppContext;
  t: TestDatabase;
  /** Authorization header of an Organization Owner. */
  owner: { adminId: string; token: string; headers: { authorization: string } };
  close(): Promise<void>;
}

let counter = 0;
// One hash for every test admin: scrypt is deliberately slow. It is made at a lower cost than
// production's (N=2^10, not 2^15; src/admins/secrets.ts), in secrets.ts's format: verifyPassword reads
// the cost from the stored hash, so every sign-in of a test admin (right or wrong password) is checked
// the production way at a thirty-second of the work. Admins created through the API or the bootstrap
// keep production's cost.
let sharedHash: Promise<string> | undefined;
const TEST_SCRYPT = { N: 1 << 10, r: 8, p: 1 };
function testPasswordHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, 32, TEST_SCRYPT, (e, key) =>
      e ? reject(e) : resolve(['scrypt', TEST_SCRYPT.N, TEST_SCRYPT.r, TEST_SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')),
    ),
  );
}

/** The fixed secret key of test apps (64 hex characters), so tests can decrypt what the API stored. */
export const TEST_SECRET_KEY_HEX = '5e'.repeat(32);

/** Creates an admin with an API token. Role `owner` holds every permission. */
export async function createTestAdmin(
  db: Db,
  opts: { role?: 'owner' | 'admin'; permissions?: Permission[]; email?: string } = {},
): Promise<{ adminId: string; email: string; token: string; headers: { authorization: string } }> {
  sharedHash ??= testPasswordHash('test-password-123');
  const email = opts.email ?? `admin${++counter}-${Date.now()}@example.test`;
  const [row] = await db
    .insert(admins)
    .values({ email, name: email.split('@')[0] as string, passwordHash: await sharedHash, role: opts.role ?? 'admin', permissions: opts.permissions ?? [] })
    .returning({ id: admins.id });
  const token = newToken('rst');
  await db.insert(apiTokens).values({ adminId: row!.id, name: 'test', tokenHash: sha256(token), prefix: token.slice(0, 8) });
  return { adminId: row!.id, email, token, headers: { authorization: `Bearer ${token}` } };
}

/** `env`: more settings, e.g. ROSTER_SMTP_URL or ROSTER_PUBLIC_URL. */
export async function openTestApp(driver: Driver = 'pglite', env: Record<string, string> = {}): Promise<TestApp> {
  const t = await openTestDatabase(driver);
  const config = loadConfig({ ROSTER_LOG_LEVEL: 'silent', ROSTER_DATA_DIR: t.location.dataDir, ROSTER_SECRET_KEY: TEST_SECRET_KEY_HEX, ...env });
  if (!config.ok) throw new Error(config.error.join('\n'));
  const { app, ctx } = await buildApp({ database: t.database, config: config.value });
  const owner = await createTestAdmin(t.database.db, { role: 'owner' });
  return {
    app,
    ctx,
    t,
    owner,
    async close() {
      await app.close();
      await t.close();
    },
  };
}
