/**
 * The route table: every page of the admin UI, where it sits in the navigation and which
 * permissions it needs. Add a page by adding a row here (see packages/web/README.md).
 */
import type { ReactNode } from 'react';
import type { Permission } from '../api/types.ts';
import { AdminsPage } from '../pages/admins/AdminsPage.tsx';
import { AppPage } from '../pages/apps/AppPage.tsx';
import { AppsPage } from '../pages/apps/AppsPage.tsx';
import { GalleryPage } from '../pages/apps/GalleryPage.tsx';
import { AttributesPage } from '../pages/attributes/AttributesPage.tsx';
import { AuditPage } from '../pages/audit/AuditPage.tsx';
import { GroupPage } from '../pages/groups/GroupPage.tsx';
import { GroupsPage } from '../pages/groups/GroupsPage.tsx';
import { ImportUsersPage } from '../pages/import/ImportUsersPage.tsx';
import { SignInPolicyPage } from '../pages/settings/SignInPolicyPage.tsx';
import { TokensPage } from '../pages/tokens/TokensPage.tsx';
import { UserPage } from '../pages/users/UserPage.tsx';
import { UsersPage } from '../pages/users/UsersPage.tsx';

export type NavSection = 'Directory' | 'Applications' | 'Administration';

export interface AppRoute {
  /** react-router path, relative to the shell (no leading slash). */
  path: string;
  element: ReactNode;
  /** Shown in the navigation when set. */
  nav?: { label: string; section: NavSection };
  /** Any one of these lets the admin see the page (the API checks again). Absent: any admin. */
  anyOf?: Permission[];
}

const directoryReaders: Permission[] = ['manage_users', 'view_apps', 'assign_apps', 'import_users'];

export const appRoutes: AppRoute[] = [
  { path: 'users', element: <UsersPage />, nav: { label: 'Users', section: 'Directory' }, anyOf: directoryReaders },
  { path: 'users/:id', element: <UserPage />, anyOf: directoryReaders },
  { path: 'groups', element: <GroupsPage />, nav: { label: 'Groups', section: 'Directory' }, anyOf: directoryReaders },
  { path: 'groups/:id', element: <GroupPage />, anyOf: directoryReaders },
  { path: 'attributes', element: <AttributesPage />, nav: { label: 'Custom attributes', section: 'Directory' }, anyOf: directoryReaders },
  { path: 'import', element: <ImportUsersPage />, nav: { label: 'Import from CSV', section: 'Directory' }, anyOf: ['import_users'] },
  { path: 'apps', element: <AppsPage />, nav: { label: 'Applications', section: 'Applications' }, anyOf: ['view_apps'] },
  { path: 'apps/new', element: <GalleryPage />, anyOf: ['manage_provisioning'] },
  // One page per application; the tab is the last segment. The OAuth callback lands on apps/:id/provisioning.
  { path: 'apps/:id/:tab?', element: <AppPage />, anyOf: ['view_apps'] },
  { path: 'admins', element: <AdminsPage />, nav: { label: 'Admins', section: 'Administration' }, anyOf: ['manage_admins'] },
  { path: 'settings/sign-in', element: <SignInPolicyPage />, nav: { label: 'Sign-in policy', section: 'Administration' }, anyOf: ['manage_users'] },
  { path: 'tokens', element: <TokensPage />, nav: { label: 'API tokens', section: 'Administration' } },
  { path: 'audit', element: <AuditPage />, nav: { label: 'Audit log', section: 'Administration' }, anyOf: ['view_logs'] },
];

/** Whether an admin holding `held` may open the route. */
export function mayOpen(route: Pick<AppRoute, 'anyOf'>, held: readonly string[]): boolean {
  return !route.anyOf || route.anyOf.length === 0 || route.anyOf.some((p) => held.includes(p));
}
