/** Every route module, in one list. Add yours here. */
import type { RouteModule } from '../context.ts';
import { healthRoutes } from './health.ts';

export const routeModules: RouteModule[] = [healthRoutes];
