import { describe, expect, it } from 'vitest';
import { roleRank } from '../../connectors/app-roles.ts';
import { type Candidate, pickAssignment } from './pick-role.ts';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
const c = (id: string, principalType: 'user' | 'group', role: string, second = 0): Candidate => ({
  assignmentId: id,
  principalType,
  principalId: `p-${id}`,
  role,
  roleLabel: role,
  createdAt: at(second),
});

describe('pickAssignment', () => {
  it('lets a direct user assignment win over any group assignment', () => {
    expect(pickAssignment([c('g1', 'group', 'admin'), c('u1', 'user', 'end-user'), c('g2', 'group', 'agent')], roleRank)?.assignmentId).toBe('u1');
    expect(pickAssignment([c('u1', 'user', 'default-access'), c('g1', 'group', 'admin')], roleRank)?.assignmentId).toBe('u1');
  });

  it('picks the highest role among groups', () => {
    expect(pickAssignment([c('g1', 'group', 'end-user'), c('g2', 'group', 'custom:9'), c('g3', 'group', 'default-access')], roleRank)?.role).toBe('custom:9');
    expect(pickAssignment([c('g1', 'group', 'custom:9'), c('g2', 'group', 'agent')], roleRank)?.role).toBe('agent');
    expect(pickAssignment([c('g1', 'group', 'agent'), c('g2', 'group', 'admin')], roleRank)?.role).toBe('admin');
  });

  it('breaks a tie by the older assignment, then by id', () => {
    expect(pickAssignment([c('g2', 'group', 'custom:2', 5), c('g1', 'group', 'custom:1', 9)], roleRank)?.assignmentId).toBe('g2');
    expect(pickAssignment([c('g2', 'group', 'agent', 1), c('g1', 'group', 'agent', 1)], roleRank)?.assignmentId).toBe('g1');
  });

  it('returns nothing for no candidates', () => {
    expect(pickAssignment([], roleRank)).toBeUndefined();
  });
});
