/**
 * The connected Zendesk account's identity (connectors/contract.ts `AccountIdentity`): its default
 * group's id and creation time. Every account gets a default group when it is created
 * (https://developer.zendesk.com/api-reference/ticketing/groups/groups/, `default`), it cannot be
 * deleted while it is the default, and neither token refresh nor another admin changes it; another
 * account behind the subdomain, or an account rebuilt from scratch, has another id or creation time.
 * An admin may make another group the default: the recorded group still exists with the same
 * creation time, so the recorded identity still holds.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { AccountIdentity, ConnectorResult } from '../contract.ts';
import { zendeskError } from './errors.ts';
import type { ZendeskHttp } from './http.ts';
import { cursorPages } from './paging.ts';

const groupSchema = z.looseObject({ id: z.number(), name: z.string(), default: z.boolean().optional(), deleted: z.boolean().optional(), created_at: z.string().nullable().optional() });
type Group = z.infer<typeof groupSchema>;

const KEY = /^zendesk-group:(\d{1,20}):(.+)$/;
const identityOf = (g: Group): AccountIdentity => ({ key: `zendesk-group:${g.id}:${g.created_at ?? ''}`, label: `default group "${g.name}" (id ${g.id}), created ${g.created_at ?? 'at an unknown time'}` });

export async function readAccountIdentity(http: ZendeskHttp, recorded?: AccountIdentity | null): Promise<ConnectorResult<AccountIdentity>> {
  const held = recorded ? KEY.exec(recorded.key) : null;
  if (recorded && held) {
    const r = await http.json({ method: 'GET', path: `/api/v2/groups/${held[1]}` }, z.looseObject({ group: groupSchema }));
    if (r.ok && r.value.group.created_at === held[2]) return ok(recorded);
    if (!r.ok && r.error.code !== 'zendesk.not_found') return r;
  }
  let first: Group | null = null;
  for await (const page of cursorPages(http, '/api/v2/groups', 'groups', groupSchema)) {
    if (!page.ok) return page;
    const found = page.value.find((g) => g.default === true && g.deleted !== true);
    if (found) return ok(identityOf(found));
    for (const g of page.value) if (g.deleted !== true && (first === null || g.id < first.id)) first = g;
  }
  if (first) return ok(identityOf(first));
  return err(zendeskError('no_default_group', 'configuration', 'The Zendesk account has no group, so Roster cannot tell which account it is', 'Check the account in Zendesk (Admin Center › Team › Groups), then test the connection again.'));
}
