/**
 * Connectors by gallery type. Shared code looks a connector up here and reads its capabilities;
 * it never branches on which one it holds.
 */
import type { ConnectorDefinition } from './definition.ts';
import type { TargetUrls } from './target-facts.ts';
import { scimConnector } from './scim/connector.ts';
import { zendeskConnector } from './zendesk/connector.ts';

// Each definition's config type is its own; callers parse with `configSchema` before `connect`.
const connectors: Record<string, ConnectorDefinition<unknown>> = {
  zendesk: zendeskConnector as ConnectorDefinition<unknown>,
  scim: scimConnector as ConnectorDefinition<unknown>,
};

/** The connector for an application's gallery type, or null when Roster has none. */
export function connectorFor(type: string): ConnectorDefinition<unknown> | null {
  return Object.hasOwn(connectors, type) ? (connectors[type] ?? null) : null;
}

/** Every connector type Roster can provision to. */
export const connectorTypes = (): string[] => Object.keys(connectors);

/** The process's URL template for a connector type (`TargetUrls`), else the connector's own default. */
export function urlTemplateFor(type: string, targetUrls?: TargetUrls): string | undefined {
  return (targetUrls && Object.hasOwn(targetUrls, type) ? targetUrls[type] : undefined) ?? connectorFor(type)?.defaultUrlTemplate;
}
