/** Providers (theme, data cache, notifications, modals) and the router built from the route table. */
import { MantineProvider, createTheme } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Navigate, RouterProvider, createBrowserRouter } from 'react-router';
import { ApiError } from '../api/errors.ts';
import { SignInPage } from '../auth/SignInPage.tsx';
import { sessionKey } from '../auth/session.tsx';
import { ForbiddenState, NotFoundState } from '../components/states.tsx';
import { useSession } from '../auth/session.tsx';
import { MyAppsPage } from '../portal/MyAppsPage.tsx';
import { PortalLayout } from '../portal/PortalLayout.tsx';
import { PortalSignInPage } from '../portal/PortalSignInPage.tsx';
import { SecurityPage } from '../portal/SecurityPage.tsx';
import { ForgotPasswordPage, SetPasswordPage } from '../portal/SetPasswordPage.tsx';
import { RequireSession } from './RequireSession.tsx';
import { Shell } from './Shell.tsx';
import { appRoutes, mayOpen, type AppRoute } from './routes.tsx';

const theme = createTheme({ primaryColor: 'indigo', defaultRadius: 'sm' });

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // An expired session anywhere sends the admin back to sign in.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 401) queryClient.setQueryData(sessionKey, null);
    },
  }),
  defaultOptions: {
    queries: { retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

function Guarded({ route }: { route: AppRoute }) {
  const { admin } = useSession();
  if (!mayOpen(route, admin?.permissions ?? [])) return <ForbiddenState />;
  return route.element;
}

const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  // The directory users' portal: its own realm and frame, same bundle.
  {
    path: '/portal',
    element: <PortalLayout />,
    children: [
      { index: true, element: <MyAppsPage /> },
      { path: 'sign-in', element: <PortalSignInPage /> },
      { path: 'accept-invitation', element: <SetPasswordPage kind="invite" /> },
      { path: 'reset-password', element: <SetPasswordPage kind="reset" /> },
      { path: 'forgot-password', element: <ForgotPasswordPage /> },
      { path: 'security', element: <SecurityPage /> },
      { path: '*', element: <NotFoundState /> },
    ],
  },
  {
    path: '/',
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/users" replace /> },
      ...appRoutes.map((r) => ({ path: r.path, element: <Guarded route={r} /> })),
      { path: '*', element: <NotFoundState /> },
    ],
  },
]);

export function App() {
  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ModalsProvider>
          <Notifications position="bottom-right" />
          <RouterProvider router={router} />
        </ModalsProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
