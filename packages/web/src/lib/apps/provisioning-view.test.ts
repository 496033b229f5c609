import { describe, expect, it } from 'vitest';
import { unassignEffect, durationWords, etaSeconds, countsSentence, emptyLogFilters, showChange, importBusy, logQuery, progressPercent, showValue, stateLook } from './provisioning-view.ts';

describe('provisioning view helpers', () => {
  it('reads states, off winning over a stale state', () => {
    expect(stateLook('idle', true)).toEqual({ label: 'On — idle', color: 'green' });
    expect(stateLook('idle', false).label).toBe('Off');
    expect(stateLook('stopped', false).label).toBe('Stopped by an error');
    expect(stateLook('brand_new', true)).toEqual({ label: 'brand_new', color: 'gray' });
  });

  it('computes progress without dividing by zero', () => {
    expect(progressPercent({ total: 0, done: 0 })).toBe(0);
    expect(progressPercent({ total: 3, done: 1 })).toBe(33);
    expect(progressPercent({ total: 2, done: 5 })).toBe(100);
  });

  it('estimates the time left from the pace so far', () => {
    const start = '2026-11-20T10:00:00.000Z';
    const now = Date.parse('2026-11-20T10:00:30.000Z');
    expect(etaSeconds({ total: 100, done: 25 }, start, now)).toBe(90);
    expect(etaSeconds({ total: 100, done: 0 }, start, now)).toBeNull();
    expect(etaSeconds({ total: 0, done: 0 }, start, now)).toBeNull();
    expect(etaSeconds({ total: 10, done: 10 }, start, now)).toBe(0);
  });

  it('says what unassigning does under the current setting', () => {
    const c = (over: { enabled?: boolean; scope?: string; delete?: boolean; deprovision?: string } = {}) => ({
      enabled: over.enabled ?? true,
      settings: { scope: over.scope ?? 'assigned', syncActions: { delete: over.delete ?? true, deprovision: over.deprovision ?? 'delete' } },
    });
    expect(unassignEffect(c(), 'Zendesk', false)).toBe('Their Zendesk account will be deleted (sync actions: delete the account on unassign). If they are also assigned through a group, they keep it.');
    expect(unassignEffect(c({ deprovision: 'suspend' }), 'Zendesk', true)).toContain("Their members' Zendesk accounts will be suspended");
    expect(unassignEffect(c({ delete: false }), 'Zendesk', false)).toContain('stays as it is');
    expect(unassignEffect(c({ scope: 'all' }), 'Zendesk', false)).toContain('nothing changes in Zendesk');
    expect(unassignEffect(c({ enabled: false }), 'Zendesk', false)).toContain('Provisioning is off: this happens once it is switched on.');
  });

  it('says durations in seconds, minutes or hours', () => {
    expect(durationWords(420)).toBe('0.4 s');
    expect(durationWords(42_000)).toBe('42 s');
    expect(durationWords(185_000)).toBe('3 min 5 s');
    expect(durationWords(3_720_000)).toBe('1 h 2 min');
  });

  it('says the counts in a fixed order and always the failures', () => {
    expect(countsSentence({ failed: 0, updated: 1, created: 3, groupsCreated: 2 })).toBe('3 users created, 1 user updated, 0 failed, 2 groups created');
    expect(countsSentence({})).toBe('nothing to do');
  });

  it('builds the log query from the filters', () => {
    expect(logQuery(emptyLogFilters)).toEqual({});
    const q = logQuery({ user: ' ada ', action: 'create', status: 'failed', from: '2026-11-21T10:00', to: 'garbage' });
    expect(q).toMatchObject({ user: 'ada', action: 'create', status: 'failed' });
    expect(q['from']).toBe(new Date('2026-11-21T10:00').toISOString());
    expect(q).not.toHaveProperty('to');
  });

  it('shows values and import activity', () => {
    expect(showValue(null)).toBe('—');
    expect(showValue('')).toBe('""');
    expect(showValue(['a'])).toBe('["a"]');
    expect(importBusy('reading')).toBe(true);
    expect(importBusy('classified')).toBe(false);
  });

  it('shows a changed role by name, other values as they are', () => {
    const roles = [{ key: 'custom:6164', label: 'Light agent' }];
    expect(showChange('role', 'custom:6164', roles)).toBe('Light agent');
    expect(showChange('role', 'agent', roles)).toBe('Agent');
    expect(showChange('role', null, roles)).toBe('—');
    expect(showChange('email', 'custom:6164', roles)).toBe('custom:6164');
  });
});
