/**
 * Gate of the signed-in part: a spinner while the session loads, the sign-in page when there is
 * none, the forced password change while it is pending, else the page.
 */
import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { ChangePasswordPage } from '../auth/ChangePasswordPage.tsx';
import { useSession } from '../auth/session.tsx';
import { ErrorState } from '../components/states.tsx';

export function RequireSession({ children }: { children: ReactNode }) {
  const { admin, loading, error } = useSession();
  const location = useLocation();
  if (loading) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (error) return <ErrorState error={error} />;
  if (!admin) return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (admin.mustChangePassword) return <ChangePasswordPage email={admin.email} />;
  return children;
}
