/**
 * The signed-in admin, read from GET /api/session (the HttpOnly cookie is invisible to scripts),
 * with sign-in, sign-out and the CSRF token handed to the API client. Any 401 elsewhere drops the
 * session here, which sends the admin back to the sign-in page.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, setCsrfToken, unwrap } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { AdminView, Answer, Permission } from '../api/types.ts';

type SessionAnswer = Answer<'/api/session', 'get'>;
export type { AdminView };

export const sessionKey = ['session'] as const;

async function readSession(): Promise<SessionAnswer | null> {
  try {
    const s = await unwrap(api.GET('/api/session'));
    setCsrfToken(s.csrfToken);
    return s;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.code === 'unauthenticated')) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useSession() {
  const q = useQuery({ queryKey: sessionKey, queryFn: readSession, staleTime: 60_000, retry: false });
  const admin = q.data?.admin ?? null;
  const can = useCallback((...perms: Permission[]) => admin !== null && perms.every((p) => admin.permissions.includes(p)), [admin]);
  return { admin, loading: q.isPending, error: q.error, can };
}

export function useSessionActions() {
  const qc = useQueryClient();
  const signIn = useCallback(
    async (email: string, password: string) => {
      const s = await unwrap(api.POST('/api/session', { body: { email, password } }));
      setCsrfToken(s.csrfToken);
      qc.setQueryData<SessionAnswer>(sessionKey, s);
      return s.admin;
    },
    [qc],
  );
  const signOut = useCallback(async () => {
    try {
      await unwrap(api.DELETE('/api/session'));
    } finally {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(sessionKey, null);
    }
  }, [qc]);
  const changePassword = useCallback(
    async (currentPassword: string, newPassword: string) => {
      const r = await unwrap(api.POST('/api/session/password', { body: { currentPassword, newPassword } }));
      qc.setQueryData<SessionAnswer | null>(sessionKey, (old) => (old ? { ...old, admin: r.admin } : old));
      return r.admin;
    },
    [qc],
  );
  return { signIn, signOut, changePassword };
}
