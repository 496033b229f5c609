/**
 * Reads shared by the application pages (query keys in one place so a write can refresh exactly
 * what it changed) and the named API shapes they use.
 */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { Answer, Body } from '../../api/types.ts';

export type AppView = Answer<'/api/apps/{id}', 'get'>;
export type ConfigView = Answer<'/api/apps/{id}/provisioning', 'get'>;
export type Settings = ConfigView['settings'];
export type GalleryEntry = Answer<'/api/gallery', 'get'>['items'][number];
/** An application type key, as the API takes it (one per connector). */
export type AppType = Body<'/api/apps', 'post'>['type'];
export type Assignment = Answer<'/api/apps/{id}/assignments', 'get'>['items'][number];
export type SyncStatus = Answer<'/api/apps/{id}/provisioning/status', 'get'>;
export type Cycle = NonNullable<SyncStatus['running']>;
export type ProvisioningEvent = Answer<'/api/apps/{id}/provisioning/events/{eventId}', 'get'>;
export type TestResult = Answer<'/api/apps/{id}/provisioning/test', 'post'>;
export type TargetField = Answer<'/api/apps/{id}/provisioning/fields', 'get'>['items'][number];

export interface RoleOption {
  key: string;
  label: string;
}

export const appKeys = {
  all: ['apps'] as const,
  app: (id: string) => ['apps', id] as const,
  config: (id: string) => ['apps', id, 'provisioning'] as const,
  assignments: (id: string) => ['apps', id, 'assignments'] as const,
  roles: (id: string) => ['apps', id, 'roles'] as const,
  fields: (id: string) => ['apps', id, 'fields'] as const,
  status: (id: string) => ['apps', id, 'status'] as const,
  events: (id: string) => ['apps', id, 'events'] as const,
  imports: (id: string) => ['apps', id, 'imports'] as const,
};

export const useApp = (id: string) => useQuery({ queryKey: appKeys.app(id), queryFn: () => unwrap(api.GET('/api/apps/{id}', { params: { path: { id } } })) });

export const useConfig = (id: string) => useQuery({ queryKey: appKeys.config(id), queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning', { params: { path: { id } } })) });

export const useGallery = () => useQuery({ queryKey: ['gallery'], queryFn: () => unwrap(api.GET('/api/gallery')), staleTime: 10 * 60_000 });

/** The name of an application type (its gallery entry's, e.g. the target's product name), for texts that name the target. */
export function useTypeName(type: string): string {
  const gallery = useGallery();
  return gallery.data?.items.find((g) => g.key === type)?.name ?? 'the target';
}

/**
 * The roles an assignment can take: the connected account's (custom roles included, read live),
 * or the gallery's built-in ones while the application is not connected yet. Default Access first.
 */
export function useRoleOptions(id: string, app: AppView | undefined, connected: boolean) {
  const gallery = useGallery();
  const live = useQuery({
    queryKey: appKeys.roles(id),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/roles', { params: { path: { id } } })),
    enabled: connected,
    staleTime: 60_000,
  });
  const builtIn = gallery.data?.items.find((g) => g.key === app?.type)?.roles ?? [];
  const source: RoleOption[] = connected && live.data ? live.data.items : builtIn;
  const options = source.some((r) => r.key === 'default-access') ? source : [{ key: 'default-access', label: 'Default Access (not provisioned)' }, ...source];
  return { options, live: connected && !!live.data, error: live.error, loading: gallery.isLoading || (connected && live.isLoading) };
}

/** Polls the synchronization details: every second while a cycle runs, every 5 s otherwise. */
export const useSyncStatus = (id: string) =>
  useQuery({
    queryKey: appKeys.status(id),
    queryFn: () => unwrap(api.GET('/api/apps/{id}/provisioning/status', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data?.running ? 1000 : 5000),
  });
