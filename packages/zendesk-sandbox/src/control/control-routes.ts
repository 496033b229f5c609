import type { ControlHandler } from '../http/server.ts';
import { Router } from '../http/router.ts';
import { accountPageHandler, indexPageHandler } from '../pages/account-page.ts';
import { createAccountHandler, listAccountsHandler, patchAccountHandler, resetHandler, showAccountHandler } from './accounts.ts';
import { createCustomRoleHandler, putFaultsHandler } from './faults-and-roles.ts';
import { seedHandler } from './seed.ts';
import { snapshotHandler } from './snapshot.ts';
import { getSsoHandler, putSsoHandler, rotateJwtSecretHandler } from './sso.ts';
import { stateHandler } from './state.ts';
import { forgetUsersHandler, writesHandler } from './writes-and-forget.ts';

/** The `/__sandbox/` control API (documented in the package README). */
export function buildControlRouter(): Router<ControlHandler> {
  const r = new Router<ControlHandler>();
  r.add('GET', '/__sandbox', indexPageHandler);
  r.add('GET', '/__sandbox/accounts', listAccountsHandler);
  r.add('POST', '/__sandbox/accounts', createAccountHandler);
  r.add('GET', '/__sandbox/accounts/:sub', showAccountHandler);
  r.add('PATCH', '/__sandbox/accounts/:sub', patchAccountHandler);
  r.add('POST', '/__sandbox/accounts/:sub/seed', seedHandler);
  r.add('GET', '/__sandbox/accounts/:sub/snapshot', snapshotHandler);
  r.add('PUT', '/__sandbox/accounts/:sub/faults', putFaultsHandler);
  r.add('POST', '/__sandbox/accounts/:sub/custom_roles', createCustomRoleHandler);
  r.add('GET', '/__sandbox/accounts/:sub/writes', writesHandler);
  r.add('POST', '/__sandbox/accounts/:sub/faults/forget-users', forgetUsersHandler);
  r.add('GET', '/__sandbox/accounts/:sub/page', accountPageHandler);
  r.add('GET', '/__sandbox/accounts/:sub/sso', getSsoHandler);
  r.add('PUT', '/__sandbox/accounts/:sub/sso', putSsoHandler);
  r.add('POST', '/__sandbox/accounts/:sub/sso/jwt/rotate-secret', rotateJwtSecretHandler);
  r.add('POST', '/__sandbox/reset', resetHandler);
  r.add('GET', '/__sandbox/state', stateHandler);
  return r;
}
