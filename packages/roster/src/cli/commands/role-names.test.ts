import { describe, expect, it } from 'vitest';
import { resolveRole } from './role-names.ts';

const roles = [
  { key: 'default-access', label: 'Default Access' },
  { key: 'agent', label: 'Agent' },
  { key: 'custom:6164', label: 'Light agent' },
  { key: 'custom:7001', label: 'Team lead' },
  { key: 'custom:7002', label: 'team lead' },
];

describe('--role by name', () => {
  it('takes a key as it is and a name without regard to case', () => {
    expect(resolveRole('agent', roles)).toEqual({ ok: true, role: { key: 'agent', label: 'Agent' } });
    expect(resolveRole('light AGENT', roles)).toEqual({ ok: true, role: { key: 'custom:6164', label: 'Light agent' } });
    expect(resolveRole('custom:9999', roles)).toEqual({ ok: true, role: { key: 'custom:9999', label: 'custom:9999' } });
  });

  it('an ambiguous name lists the roles it matches; an unknown one lists every choice', () => {
    expect(resolveRole('Team Lead', roles)).toEqual({ ok: false, message: 'the role name "Team Lead" is ambiguous: "Team lead" (custom:7001), "team lead" (custom:7002); pass the key instead' });
    const unknown = resolveRole('Heavy agent', roles);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toBe(
      'no role "Heavy agent" in this application; choose one of: "Default Access" (default-access), "Agent" (agent), "Light agent" (custom:6164), "Team lead" (custom:7001), "team lead" (custom:7002)',
    );
  });
});
