import type { RouteDef } from '../http/route.ts';
import { Router } from '../http/router.ts';
import { authorizeRoutes } from '../oauth/authorize-routes.ts';
import { oauthClientRoutes } from '../oauth/clients-api.ts';
import { tokenEndpointRoute } from '../oauth/token-endpoint.ts';
import { oauthTokenRoutes } from '../oauth/tokens-api.ts';
import { deletedUserRoutes } from './deleted-users.ts';
import { groupRoutes } from './groups.ts';
import { identityRoutes } from './identities.ts';
import { incrementalRoutes } from './incremental.ts';
import { jobStatusRoutes } from './job-statuses.ts';
import { membershipRoutes } from './memberships.ts';
import { roleAndFieldRoutes } from './roles-and-fields.ts';
import { searchExportRoutes } from './search-export.ts';
import { userFieldRoutes } from './user-fields.ts';
import { userBulkRoutes } from './users-bulk.ts';
import { userReadRoutes } from './users-read.ts';
import { userWriteRoutes } from './users-write.ts';
import { ssoRoutes } from '../sso/sso-routes.ts';

/** Every emulated Zendesk route, registered once. */
export function buildApiRouter(): Router<RouteDef> {
  const router = new Router<RouteDef>();
  for (const route of [
    ...userReadRoutes,
    ...userWriteRoutes,
    ...userBulkRoutes,
    ...deletedUserRoutes,
    ...identityRoutes,
    ...groupRoutes,
    ...membershipRoutes,
    ...roleAndFieldRoutes,
    ...userFieldRoutes,
    ...searchExportRoutes,
    ...jobStatusRoutes,
    ...incrementalRoutes,
    ...oauthClientRoutes,
    ...oauthTokenRoutes,
    ...authorizeRoutes,
    ...ssoRoutes,
    tokenEndpointRoute,
  ]) router.add(route.method, route.path, route);
  return router;
}
