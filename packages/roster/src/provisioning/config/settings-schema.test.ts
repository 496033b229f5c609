import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultSettings, provisioningSettingsPatchSchema } from './settings-schema.ts';

describe('provisioning settings patch', () => {
  it('leaves absent keys absent (no defaults sneak into a patch)', () => {
    expect(provisioningSettingsPatchSchema.parse({})).toEqual({});
    expect(provisioningSettingsPatchSchema.parse({ syncActions: { delete: false } })).toEqual({ syncActions: { delete: false } });
  });

  it('replaces given keys and merges sync actions', () => {
    const current = { ...defaultSettings(), scope: 'all' as const, syncActions: { ...defaultSettings().syncActions, update: false } };
    const next = applySettingsPatch(current, { cycleIntervalMinutes: 60, syncActions: { delete: false } });
    expect(next).toMatchObject({ scope: 'all', cycleIntervalMinutes: 60, syncActions: { create: true, update: false, delete: false, activateDeactivate: true, deprovision: 'delete' } });
    expect(applySettingsPatch(current, { notificationEmail: null }).notificationEmail).toBeNull();
  });

  it('refuses unknown keys and wrong types, naming them', () => {
    const r = provisioningSettingsPatchSchema.safeParse({ scope: 'everyone', colour: 'red', syncActions: { purge: true } });
    expect(r.success).toBe(false);
    const paths = r.error?.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : [i.path.join('.')]));
    expect(paths).toEqual(expect.arrayContaining(['scope', 'colour', 'syncActions.purge']));
  });
});
