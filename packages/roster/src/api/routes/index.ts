/** Every route module, in one list. Add yours here. */
import type { RouteModule } from '../context.ts';
import { attributeRoutes } from './attributes.ts';
import { groupRoutes } from './groups.ts';
import { healthRoutes } from './health.ts';
import { startPageRoutes } from './start-page.ts';
import { userRoutes } from './users.ts';

export const routeModules: RouteModule[] = [healthRoutes, startPageRoutes, userRoutes, attributeRoutes, groupRoutes];
