/**
 * Pure helpers of the application pages: how a provisioning state reads (label and colour), a
 * cycle's progress as a percentage, the log filters as the API's
 * query, and the import categories as the Import tab names them.
 */

export interface StateLook {
  label: string;
  color: string;
}

const states: Record<string, StateLook> = {
  off: { label: 'Off', color: 'gray' },
  idle: { label: 'On — idle', color: 'green' },
  running: { label: 'On — running a cycle', color: 'blue' },
  paused: { label: 'Paused', color: 'yellow' },
  quarantined: { label: 'Quarantined', color: 'orange' },
  stopped: { label: 'Stopped by an error', color: 'red' },
};

/** Unknown states (a newer server) read as themselves, in grey. */
export function stateLook(state: string, enabled: boolean): StateLook {
  if (!enabled && state !== 'stopped') return states['off']!;
  return states[state] ?? { label: state, color: 'gray' };
}

/** 0–100; an unknown total (0) reads as 0 rather than dividing by zero. */
export function progressPercent(progress: { total: number; done: number }): number {
  if (progress.total <= 0) return 0;
  return Math.min(100, Math.round((progress.done / progress.total) * 100));
}

/**
 * Seconds left in a running cycle, from its pace so far (elapsed per object done); null while
 * nothing is done yet or the total is unknown, 0 once everything is done.
 */
export function etaSeconds(progress: { total: number; done: number }, startedAt: string, now: number = Date.now()): number | null {
  if (progress.total <= 0 || progress.done <= 0) return null;
  if (progress.done >= progress.total) return 0;
  const elapsed = Math.max(0, now - Date.parse(startedAt)) / 1000;
  return Math.round((elapsed / progress.done) * (progress.total - progress.done));
}

/**
 * What unassigning does under the current setting, as the Unassign dialog says it (the engine's
 * rule: scope "all" keeps everyone in scope; *Delete users* off only stops managing the account;
 * otherwise the account is suspended or deleted as the sync actions say).
 */
export function unassignEffect(c: { enabled: boolean; settings: { scope: string; syncActions: { delete: boolean; deprovision: string } } }, typeName: string, group: boolean): string {
  const accounts = group ? `Their members' ${typeName} accounts` : `Their ${typeName} account`;
  const others = group ? ' Members also assigned another way keep theirs.' : ' If they are also assigned through a group, they keep it.';
  const later = c.enabled ? '' : ' Provisioning is off: this happens once it is switched on.';
  if (c.settings.scope === 'all') return `The scope is all users and groups: they stay in scope, so nothing changes in ${typeName}.`;
  if (!c.settings.syncActions.delete) return `${accounts} ${group ? 'stay' : 'stays'} as ${group ? 'they are' : 'it is'}: the sync action *Delete users* is off, so Roster only stops managing ${group ? 'them' : 'it'}.${later}`;
  const verb = c.settings.syncActions.deprovision === 'suspend' ? 'suspended' : 'deleted';
  return `${accounts} will be ${verb} (sync actions: ${verb === 'suspended' ? 'suspend' : 'delete'} the account on unassign).${others}${later}`;
}

/** A duration as an admin reads it: "0.4 s", "42 s", "3 min 5 s", "1 h 2 min". */
export function durationWords(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
}

/** Counts read through the shared words map ("2 groups created, 3 members added"). */
export { countsSentence } from '../words.ts';
import { roleName } from '../words.ts';

export interface LogFilters {
  user: string;
  action: string | null;
  status: string | null;
  /** `datetime-local` values (the admin's local time), or empty. */
  from: string;
  to: string;
}

export const emptyLogFilters: LogFilters = { user: '', action: null, status: null, from: '', to: '' };

/** The events query for the filters: blanks dropped, local times turned into ISO 8601 with offset. */
export function logQuery(f: LogFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.user.trim()) q['user'] = f.user.trim();
  if (f.action) q['action'] = f.action;
  if (f.status) q['status'] = f.status;
  for (const key of ['from', 'to'] as const) {
    const t = f[key] ? new Date(f[key]) : null;
    if (t && !Number.isNaN(t.getTime())) q[key] = t.toISOString();
  }
  return q;
}

/**
 * Renders an old or new value of a changed property; a `role` reads by name ("Light agent", not
 * `custom:6164…`) from the account's roles.
 */
export function showChange(property: string, v: unknown, roles: readonly { key: string; label: string }[]): string {
  if (property === 'role' && typeof v === 'string' && v !== '') return roleName(v, roles);
  return showValue(v);
}

/** Renders an old or new value of a changed property. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

/** The import categories; `help` names the target (the application type's name, e.g. from `app.typeName`). */
export const importFilters = [
  { value: 'new', label: 'New users', help: (t: string) => `In ${t}, not in the directory: created in the directory and assigned to ${t}.` },
  { value: 'update', label: 'Update users', help: () => 'In both: the directory profile is overwritten from the chosen source profile.' },
  { value: 'activate', label: 'Users to activate', help: (t: string) => `Inactive in the directory, active in ${t}: activated and assigned.` },
  { value: 'deactivate', label: 'Users to deactivate', help: (t: string) => `Active in the directory, inactive in ${t}: deactivated.` },
  { value: 'conflict', label: 'Conflicts', help: () => 'Cannot be imported as they are; the reason is given per user.' },
] as const;
export type ImportFilter = (typeof importFilters)[number]['value'];

/** Whether an import session still moves (the tab polls while it does). */
export const importBusy = (status: string): boolean => status === 'reading' || status === 'applying';
