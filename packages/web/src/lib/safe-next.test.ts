import { expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

it('follows same-site paths only', () => {
  expect(safeNext('/groups/1?x=2')).toBe('/groups/1?x=2');
  expect(safeNext('/apps/7/provisioning?connected=1')).toBe('/apps/7/provisioning?connected=1');
  for (const bad of [null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'users', '/sign-in?next=/x']) expect(safeNext(bad)).toBe('/users');
});
