/**
 * Each connector's codes in an admin's words, by connector (the words registry: the one list beside
 * registry.ts that names connectors). Imports only the connectors' words files, which import
 * nothing, so words/words.ts and the web app can read it.
 */
import { scimCodeWords } from './scim/words.ts';
import { zendeskCodeWords } from './zendesk/words.ts';

export const connectorCodeWords = { ...zendeskCodeWords, ...scimCodeWords } as const satisfies Record<string, string>;
