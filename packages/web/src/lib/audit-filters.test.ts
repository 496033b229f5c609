import { expect, it } from 'vitest';
import { auditQuery } from './audit-filters.ts';

it('sends only filled filters, trimmed, with local times as ISO instants', () => {
  const q = auditQuery({ actor: ' owner@x.io ', action: '', targetType: 'user', targetId: ' ', from: '2026-11-21T10:30', to: 'not a date' });
  expect(q).toEqual({ actor: 'owner@x.io', targetType: 'user', from: new Date('2026-11-21T10:30').toISOString() });
});
