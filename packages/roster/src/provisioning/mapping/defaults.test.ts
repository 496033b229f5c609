import { describe, expect, it } from 'vitest';
import { BUILT_IN_FIELDS } from '../../connectors/zendesk/catalog.ts';
import { BUILT_IN_FIELDS as SCIM_FIELDS } from '../../connectors/scim/catalog.ts';
import { provisioningSettingsSchema } from '../config/settings-schema.ts';
import { compileMappings } from './compile-mappings.ts';
import { connectorFor, connectorTypes } from '../../connectors/registry.ts';
import { defaultSettingsFor } from './defaults.ts';
import { sourceAttributes, toSourceUser } from './source-attributes.ts';
import { validateMappings } from './validate-mappings.ts';

describe('defaultSettingsFor', () => {
  it('gives Zendesk a valid mapping against the Zendesk connector fields, matching external_id then email', () => {
    const settings = defaultSettingsFor('zendesk');
    expect(provisioningSettingsSchema.parse(settings)).toEqual(settings);
    expect(settings.matching).toEqual(['external_id', 'email']);
    expect(validateMappings(settings.mappings, settings.matching, BUILT_IN_FIELDS, sourceAttributes())).toEqual([]);
  });

  it('renders a directory user into the Zendesk shape', () => {
    const settings = defaultSettingsFor('zendesk');
    const compiled = compileMappings(settings.mappings, settings.matching, BUILT_IN_FIELDS, sourceAttributes());
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
    const user = toSourceUser({
      id: 'u-1',
      email: 'ana@example.com',
      givenName: 'Ana',
      familyName: 'Lima',
      displayName: 'Ana Lima',
      phone: null,
      mobile: '+55 11 9999',
      jobTitle: 'Support lead',
      department: 'Support',
      employeeId: 'E1',
      managerId: null,
      locale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
      organization: 'Acme',
      location: null,
      status: 'active',
      custom: {},
    });
    expect(compiled.value.render(user, true)).toEqual({
      attributes: {
        name: 'Ana Lima',
        email: 'ana@example.com',
        external_id: 'u-1',
        phone: '+55 11 9999',
        time_zone: 'America/Sao_Paulo',
        locale: 'pt-BR',
        organization: 'Acme',
        details: 'Support lead, Support',
        alias: 'Ana',
      },
      errors: [],
    });
    expect(Object.keys(compiled.value.render(user, false).attributes)).not.toContain('alias');
  });

  it('leaves Zendesk-owned fields unmapped', () => {
    const targets = defaultSettingsFor('zendesk').mappings.map((m) => m.target);
    expect(targets).not.toContain('tags');
    expect(targets).not.toContain('notes');
    expect(targets).not.toContain('signature');
  });

  it('returns a fresh copy each time', () => {
    const a = defaultSettingsFor('zendesk');
    a.mappings[0]!.apply = 'on_create';
    expect(defaultSettingsFor('zendesk').mappings[0]!.apply).toBe('always');
  });

  it('gives SCIM a valid mapping against the SCIM connector fields, matching externalId, then userName, then email', () => {
    const settings = defaultSettingsFor('scim');
    expect(provisioningSettingsSchema.parse(settings)).toEqual(settings);
    expect(settings.matching).toEqual(['external_id', 'userName', 'email']);
    expect(validateMappings(settings.mappings, settings.matching, SCIM_FIELDS, sourceAttributes())).toEqual([]);
    expect(settings.mappings.map((m) => m.target)).toEqual(expect.arrayContaining(['userName', 'external_id', 'email', 'name.givenName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager']));
  });

  it.each(['nosuchtarget', 'constructor', '__proto__'])('gives an unknown connector type %s the generic defaults', (type) => {
    expect(defaultSettingsFor(type)).toEqual(provisioningSettingsSchema.parse({}));
  });

  it('has an entry per connector type, as data (the definition defaults)', () => {
    expect(connectorTypes().filter((t) => connectorFor(t)?.defaults)).toEqual(['zendesk', 'scim']);
  });
});
