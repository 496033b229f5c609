import type { RouteDef } from '../http/route.ts';
import { Router } from '../http/router.ts';
import { userReadRoutes } from './users-read.ts';
import { userWriteRoutes } from './users-write.ts';

/** Every emulated Zendesk route, registered once. */
export function buildApiRouter(): Router<RouteDef> {
  const router = new Router<RouteDef>();
  for (const route of [...userReadRoutes, ...userWriteRoutes]) router.add(route.method, route.path, route);
  return router;
}
