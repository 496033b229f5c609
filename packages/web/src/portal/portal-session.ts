/** The signed-in directory user (GET /portal/api/session), shared by the portal pages. */
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { unwrap } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { Answer } from '../api/types.ts';
import { portalApi, setPortalCsrf } from './portal-client.ts';

export type PortalState = Answer<'/portal/api/session', 'get'>;
export const portalSessionKey = ['portal-session'] as const;

async function readPortalSession(): Promise<PortalState | null> {
  try {
    const s = await unwrap(portalApi.GET('/portal/api/session'));
    setPortalCsrf(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setPortalCsrf(null);
      return null;
    }
    throw e;
  }
}

export function usePortalSession() {
  const q = useQuery({ queryKey: portalSessionKey, queryFn: readPortalSession, staleTime: 30_000, retry: false });
  return { state: q.data ?? null, loading: q.isPending, error: q.error, refetch: q.refetch };
}

/**
 * Signs out, then loads the sign-in page afresh: no page of the old session renders in between (one
 * that would send the user back to itself after the next sign-in).
 */
export function usePortalSignOut() {
  return useCallback(async () => {
    try {
      await unwrap(portalApi.DELETE('/portal/api/session'));
    } finally {
      setPortalCsrf(null);
      window.location.assign('/portal/sign-in');
    }
  }, []);
}
