/**
 * The target fields and roles a configuration is checked against: the connected account's (as last
 * read, cached on the configuration), else the connector type's built-in ones.
 */
import type { TargetField, TargetRole } from '../../connectors/contract.ts';
import type { ConnectorDefinition } from '../../connectors/definition.ts';
import { connectorFor } from '../../connectors/registry.ts';
import type { Executor } from '../../db/database.ts';
import { attributeDefinitions } from '../../db/schema.ts';
import { type SourceAttribute, sourceAttributes } from '../mapping/source-attributes.ts';
import type { ProvisioningConfig } from './load-config.ts';

/** The connector of a configuration's type; an application type without one is a bug in the gallery. */
export function connectorOf(type: string): ConnectorDefinition<unknown> {
  const connector = connectorFor(type);
  if (!connector) throw new Error(`no connector for application type ${type}`);
  return connector;
}

export function targetFieldsOf(config: Pick<ProvisioningConfig, 'type' | 'stored'>): readonly TargetField[] {
  return config.stored.catalogue?.fields ?? connectorOf(config.type).builtInFields ?? [];
}

export function targetRolesOf(config: Pick<ProvisioningConfig, 'type' | 'stored'>): readonly TargetRole[] {
  return config.stored.catalogue?.roles ?? connectorOf(config.type).builtInRoles ?? [];
}

/** The directory attributes a mapping may read: built-in ones and every custom attribute definition. */
export async function directorySourceAttributes(executor: Executor): Promise<SourceAttribute[]> {
  const rows = await executor.select().from(attributeDefinitions);
  return sourceAttributes(rows.map((r) => ({ key: r.key, label: r.label, type: r.type, enumValues: r.enumValues ?? null })));
}
