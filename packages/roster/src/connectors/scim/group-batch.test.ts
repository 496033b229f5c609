import { describe, expect, it } from 'vitest';
import { addOperations, chunkMembers, removeOperations } from './group-batch.ts';

const items = (pairs: [string, string][]) => pairs.map(([groupId, userId], index) => ({ index, groupId, userId }));

describe('SCIM member batches', () => {
  it('groups the items by group and splits each group by member count and bytes', () => {
    const chunks = chunkMembers(items([['g1', 'a'], ['g2', 'x'], ['g1', 'b'], ['g1', 'c'], ['g1', 'a']]), 2, Number.POSITIVE_INFINITY, () => 10);
    // A member named twice counts once per chunk it falls in.
    expect(chunks.map((c) => [c.groupId, c.items.map((i) => i.userId)])).toEqual([
      ['g1', ['a', 'b']],
      ['g1', ['c', 'a']],
      ['g2', ['x']],
    ]);
    const bySize = chunkMembers(items([['g', 'a'], ['g', 'b'], ['g', 'c']]), 100, 25, () => 10);
    expect(bySize.map((c) => c.items.length)).toEqual([2, 1]);
  });

  it('adds a list of members in one operation and removes each member by filter, never a replace', () => {
    const c = { groupId: 'g', items: [{ index: 0, userId: 'a' }, { index: 1, userId: 'b"q' }, { index: 2, userId: 'a' }] };
    expect(addOperations(c)).toEqual([{ op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b"q' }] }]);
    expect(removeOperations(c)).toEqual([
      { op: 'remove', path: 'members[value eq "a"]' },
      { op: 'remove', path: 'members[value eq "b\\"q"]' },
    ]);
  });
});
