/** The custom attribute definitions, shared by the user form and the user page. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { Answer } from '../../api/types.ts';
import type { AttributeType } from '../../lib/user-changes.ts';

export type Attribute = Answer<'/api/attributes', 'get'>['items'][number];

export function useAttributes() {
  const q = useQuery({ queryKey: ['attributes'], queryFn: () => unwrap(api.GET('/api/attributes')), staleTime: 60_000 });
  const items = q.data?.items ?? [];
  const types: Record<string, AttributeType> = Object.fromEntries(items.map((a) => [a.key, a.type]));
  const labels: Record<string, string> = Object.fromEntries(items.map((a) => [a.key, a.label]));
  return { ...q, items, types, labels, keys: items.map((a) => a.key) };
}
