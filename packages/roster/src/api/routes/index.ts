/** Every route module, in one list. Add yours here. */
import type { RouteModule } from '../context.ts';
import { adminRoutes } from './admins.ts';
import { auditRoutes } from './audit.ts';
import { sessionRoutes } from './session.ts';
import { tokenRoutes } from './tokens.ts';
import { attributeRoutes } from './attributes.ts';
import { groupRoutes } from './groups.ts';
import { appRoutes } from './apps.ts';
import { assignmentRoutes } from './assignments.ts';
import { galleryRoutes } from './gallery.ts';
import { healthRoutes } from './health.ts';
import { importRoutes } from './imports.ts';
import { startPageRoutes } from './start-page.ts';
import { userRoutes } from './users.ts';
import { provisioningRoutes } from './provisioning.ts';
import { provisioningHealthRoutes } from './provisioning-health.ts';
import { provisioningScopeRoutes } from './provisioning-scope.ts';
import { provisioningImportRoutes } from './provisioning-import.ts';
import { provisioningPlanRoutes } from './provisioning-plans.ts';
import { userApplicationRoutes } from './user-applications.ts';
import { ssoAdminRoutes } from './sso-admin.ts';
import { ssoIdpRoutes } from './sso-idp.ts';
import { portalRoutes } from './portal.ts';
import { userSignInRoutes } from './user-sign-in.ts';

export const routeModules: RouteModule[] = [healthRoutes, sessionRoutes, adminRoutes, tokenRoutes, auditRoutes, startPageRoutes, userRoutes, attributeRoutes, importRoutes, groupRoutes, galleryRoutes, appRoutes, assignmentRoutes, provisioningRoutes, provisioningHealthRoutes, provisioningImportRoutes, provisioningScopeRoutes, provisioningPlanRoutes, userApplicationRoutes, userSignInRoutes, portalRoutes, ssoAdminRoutes, ssoIdpRoutes];
