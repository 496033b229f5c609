/** How a directory user appears in the audit log: via `portal`, by email, holding no permission. */
import type { Principal } from '../admins/permissions.ts';

export const portalPrincipal = (email: string): Principal => ({ adminId: null, email, role: 'admin', permissions: new Set(), via: 'portal' });
