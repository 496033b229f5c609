import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineConnectorConformance } from '../conformance/suite.ts';
import { createMemoryPacer } from '../../provisioning/apply/pacer.ts';
import { freshSubdomain, startSandboxHarness, type SandboxAccount, type SandboxHarness } from './sandbox-accounts.test-support.ts';

defineConnectorConformance('zendesk (sandbox, API token)', async () => {
  const h = await startSandboxHarness();
  const a = await h.account({ subdomain: freshSubdomain('conf'), plan: 'enterprise', limits: false });
  return {
    connect: (options) => h.connect({ ...h.apiTokenConfig(a), ...(options?.timeoutMs ? { requestTimeoutMs: options.timeoutMs } : {}) }),
    connectWithBadCredentials: () => h.connect({ ...h.apiTokenConfig(a), apiToken: 'wrong-token' }),
    slowDown: () => h.faults(a.subdomain, { latencyMs: { fixed: 600, random: 0 } }),
    recover: () => h.faults(a.subdomain, {}),
    slowTimeoutMs: 250,
    endUserRoleKey: 'end-user',
    agentRoleKey: 'agent',
    close: () => h.close(),
  };
});

describe('zendesk connector against the sandbox', () => {
  let h: SandboxHarness;
  let a: SandboxAccount;
  beforeAll(async () => {
    h = await startSandboxHarness();
    a = await h.account({ subdomain: freshSubdomain('zd'), plan: 'enterprise', limits: false });
  });
  afterAll(async () => {
    await h.close();
  });

  it('creates a user once when the answer to the create is lost', async () => {
    let dropped = false;
    const c = h.connect(h.apiTokenConfig(a), {
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        if (!dropped && init?.method === 'POST' && String(input).endsWith('/api/v2/users')) {
          dropped = true;
          await res.text();
          throw new DOMException('The operation timed out.', 'TimeoutError');
        }
        return res;
      },
    });
    const r = await c.users.create({ externalId: 'lost-answer', roleKey: 'end-user', attributes: { name: 'Lost Answer', email: 'lost@example.com' } });
    expect(dropped).toBe(true);
    expect(r.ok && r.value.externalId).toBe('lost-answer');
    const snap = await h.snapshot(a.subdomain);
    expect(snap.users.filter((u) => u.external_id === 'lost-answer')).toHaveLength(1);
  });

  it('changes the primary email through identities', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    const u = await c.users.create({ externalId: 'mail-change', roleKey: 'end-user', attributes: { name: 'Mail Change', email: 'old@example.com' } });
    if (!u.ok) throw new Error(u.error.message);
    const r = await c.users.update(u.value.id, { attributes: { email: 'new@example.com', name: 'Mail Changed' } });
    expect(r.ok && r.value).toMatchObject({ email: 'new@example.com', name: 'Mail Changed' });
    const snap = await h.snapshot(a.subdomain);
    const user = snap.users.find((x) => x.external_id === 'mail-change');
    expect(user?.identities.find((i) => i.primary)?.value).toBe('new@example.com');
  });

  it('retries 429s after Retry-After and pauses the shared pacer', async () => {
    const slept: number[] = [];
    const pacer = createMemoryPacer({ limitPerMinute: 10_000, sleep: async (ms) => { slept.push(ms); await new Promise((r) => setTimeout(r, ms)); } });
    const c = h.connect(h.apiTokenConfig(a), { pacer });
    await h.faults(a.subdomain, { rateLimitStorm: { count: 2 } });
    try {
      const started = Date.now();
      const r = await c.users.findBy('email', a.adminEmail);
      expect(r.ok && r.value.length).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
      // The wait happened in the shared pacer, so every worker of the account held back.
      expect(slept.filter((ms) => ms > 500).length).toBe(2);
      expect((await h.snapshot(a.subdomain)).counters.rateLimited).toBe(2);
    } finally {
      await h.faults(a.subdomain, {});
    }
  });

  it('learns the account budget from the rate-limit headers', async () => {
    const team = await h.account({ subdomain: freshSubdomain('team'), plan: 'team' });
    const pacer = createMemoryPacer({ limitPerMinute: 5000 });
    const c = h.connect(h.apiTokenConfig(team), { pacer });
    const r = await c.users.get('1');
    expect(r.ok).toBe(true);
    expect(pacer.state().limitPerMinute).toBe(200);
  });

  it('reports a failed job per item as transient and creates nothing', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    await h.faults(a.subdomain, { jobFailureRate: 1, seed: 1 });
    try {
      const r = await c.users.createMany?.([1, 2].map((n) => ({ externalId: `jobfail-${n}`, roleKey: 'end-user', attributes: { name: `Job Fail ${n}` } })));
      expect(r?.ok).toBe(true);
      if (!r?.ok) return;
      expect(r.value.map((x) => (x.ok ? 'ok' : x.error.class))).toEqual(['transient', 'transient']);
    } finally {
      await h.faults(a.subdomain, {});
    }
    expect((await h.snapshot(a.subdomain)).users.filter((u) => u.external_id?.startsWith('jobfail-'))).toHaveLength(0);
  });

  it('waits out TooManyJobs and finishes every chunk of a large batch', async () => {
    const small = await h.account({ subdomain: freshSubdomain('jobs'), limits: false, maxInflightJobs: 2, pace: { queueDelayMs: 100, perItemMs: 1 } });
    const c = h.connect(h.apiTokenConfig(small));
    const inputs = Array.from({ length: 450 }, (_, n) => ({ externalId: `many-${n}`, roleKey: 'end-user', attributes: { name: `Many ${n}` } }));
    const r = await c.users.createMany?.(inputs);
    expect(r?.ok).toBe(true);
    if (!r?.ok) return;
    expect(r.value.filter((x) => x.ok)).toHaveLength(450);
    expect(r.value.map((x) => x.index)).toEqual(inputs.map((_, i) => i));
    const snap = await h.snapshot(small.subdomain);
    const byExternal = new Map(snap.users.map((u) => [u.external_id, String(u.id)]));
    r.value.forEach((x, i) => expect(x.ok && x.id).toBe(byExternal.get(`many-${i}`)));
    // The cap was hit, and then submitters waited for jobs to finish instead of retrying blindly.
    expect(snap.counters.byStatus['429'] ?? 0).toBeGreaterThan(0);
    expect(snap.counters.byStatus['429'] ?? 0).toBeLessThanOrEqual(5);
  });

  it('keeps the default group, refuses end users as members, and keeps an agent\'s last membership', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    const groups = c.groups;
    if (!groups) throw new Error('no groups');
    const all = [];
    for await (const page of groups.list()) if (page.ok) all.push(...page.value);
    const support = all.find((g) => g.isDefault);
    expect(support?.name).toBe('Support');
    const del = await groups.delete(support?.id ?? '');
    expect(del.ok ? null : del.error).toMatchObject({ code: 'zendesk.default_group', class: 'object' });
    const endUser = await c.users.create({ externalId: 'eu-member', roleKey: 'end-user', attributes: { name: 'End Member' } });
    const refused = await groups.addMember(support?.id ?? '', endUser.ok ? endUser.value.id : '');
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'zendesk.group_member_not_agent', class: 'object', fields: { user_id: [expect.stringContaining('end user')] } });
    const agent = await c.users.create({ externalId: 'agent-member', roleKey: 'agent', attributes: { name: 'Agent Member', email: 'agent-member@example.com' } });
    const agentId = agent.ok ? agent.value.id : '';
    const memberships = [];
    for await (const page of groups.listMembers(support?.id ?? '')) if (page.ok) memberships.push(...page.value);
    const own = memberships.find((m) => m.userId === agentId);
    expect(own).toBeTruthy();
    const last = await groups.removeMember(own?.membershipId ?? '');
    expect(last.ok ? null : last.error).toMatchObject({ code: 'zendesk.last_group_membership', class: 'object' });
  });

  it('retries a GET after 5xx, then reports it as transient', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    const before = (await h.snapshot(a.subdomain)).counters.requests;
    await h.faults(a.subdomain, { errorRate: 1, seed: 3 });
    try {
      const r = await c.users.get('1');
      expect(r.ok ? null : r.error).toMatchObject({ code: 'zendesk.unavailable', class: 'transient' });
    } finally {
      await h.faults(a.subdomain, {});
    }
    expect((await h.snapshot(a.subdomain)).counters.requests - before).toBe(3);
  });

  it('writes the organization by name and reads it back by name, from a fresh connection too', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    const u = await c.users.create({ externalId: 'org-user', roleKey: 'end-user', attributes: { name: 'Org User', organization: 'Acme Widgets' } });
    expect(u.ok && u.value.attributes['organization']).toBe('Acme Widgets');
    const fresh = h.connect(h.apiTokenConfig(a));
    const got = await fresh.users.get(u.ok ? u.value.id : '');
    expect(got.ok && got.value?.attributes['organization']).toBe('Acme Widgets');
    const found = await h.connect(h.apiTokenConfig(a)).users.findBy('external_id', 'org-user');
    expect(found.ok && found.value[0]?.attributes['organization']).toBe('Acme Widgets');
    const listed = [];
    for await (const page of h.connect(h.apiTokenConfig(a)).users.list()) if (page.ok) listed.push(...page.value);
    expect(listed.find((x) => x.externalId === 'org-user')?.attributes['organization']).toBe('Acme Widgets');
    const cleared = await c.users.update(u.ok ? u.value.id : '', { attributes: { organization: null } });
    expect(cleared.ok && cleared.value.attributes['organization']).toBeNull();
  });

  it('a bulk create retried after its job ran adopts the users instead of failing or duplicating them', async () => {
    const c = h.connect(h.apiTokenConfig(a));
    const inputs = [0, 1].map((n) => ({ externalId: `bulk-again-${n}`, roleKey: 'end-user', attributes: { name: `Bulk Again ${n}` } }));
    const first = await c.users.createMany?.(inputs);
    const again = await c.users.createMany?.(inputs);
    expect(first?.ok && again?.ok).toBe(true);
    if (!first?.ok || !again?.ok) return;
    expect(again.value.map((r) => (r.ok ? r.id : r.error.code))).toEqual(first.value.map((r) => (r.ok ? r.id : r.error.code)));
    expect((await h.snapshot(a.subdomain)).users.filter((u) => u.external_id?.startsWith('bulk-again-'))).toHaveLength(2);
  });
});
