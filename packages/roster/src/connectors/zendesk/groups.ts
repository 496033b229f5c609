/**
 * Groups and group memberships (https://developer.zendesk.com/api-reference/ticketing/groups/groups/,
 * https://developer.zendesk.com/api-reference/ticketing/groups/group_memberships/). Only agents and
 * admins can be members; every agent keeps at least one membership and new agents land in the
 * account's default group, which cannot be deleted.
 */
import { z } from 'zod';
import { err, ok } from '../../errors/result.ts';
import type { ConnectorResult, GroupClient, TargetGroup } from '../contract.ts';
import { zendeskError } from './errors.ts';
import type { ZendeskHttp } from './http.ts';
import { cursorPages } from './paging.ts';

const groupSchema = z.looseObject({ id: z.number(), name: z.string(), description: z.string().nullable().optional(), default: z.boolean().optional(), deleted: z.boolean().optional() });
const membershipSchema = z.looseObject({ id: z.number(), user_id: z.number(), group_id: z.number() });
const toGroup = (g: z.infer<typeof groupSchema>): TargetGroup => ({ id: String(g.id), name: g.name, description: g.description ?? null, isDefault: g.default ?? false });
const isId = (id: string) => /^\d{1,20}$/.test(id);
const groupNotFound = (id: string) => zendeskError('not_found', 'object', `Zendesk group ${id} does not exist`, 'The group was removed in Zendesk; the next cycle re-creates or unlinks it.');

export function createGroupClient(http: ZendeskHttp): GroupClient {
  const getGroup = async (id: string): Promise<ConnectorResult<z.infer<typeof groupSchema>>> => {
    if (!isId(id)) return err(groupNotFound(id));
    const r = await http.json({ method: 'GET', path: `/api/v2/groups/${id}` }, z.looseObject({ group: groupSchema }));
    if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(groupNotFound(id)) : r;
    return ok(r.value.group);
  };

  return {
    async *list() {
      for await (const page of cursorPages(http, '/api/v2/groups', 'groups', groupSchema)) {
        yield page.ok ? ok(page.value.filter((g) => !g.deleted).map(toGroup)) : page;
      }
    },
    async create(input) {
      const r = await http.json({ method: 'POST', path: '/api/v2/groups', body: { group: { name: input.name, ...(input.description === undefined ? {} : { description: input.description ?? '' }) } } }, z.looseObject({ group: groupSchema }));
      return r.ok ? ok(toGroup(r.value.group)) : r;
    },
    async update(id, input) {
      if (!isId(id)) return err(groupNotFound(id));
      const group: Record<string, unknown> = {};
      if (input.name !== undefined) group['name'] = input.name;
      if (input.description !== undefined) group['description'] = input.description ?? '';
      const r = await http.json({ method: 'PUT', path: `/api/v2/groups/${id}`, body: { group } }, z.looseObject({ group: groupSchema }));
      if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(groupNotFound(id)) : r;
      return ok(toGroup(r.value.group));
    },
    async delete(id) {
      const g = await getGroup(id);
      if (!g.ok) return g;
      if (g.value.default) {
        return err(zendeskError('default_group', 'object', `"${g.value.name}" is the account's default group and cannot be deleted`, 'Make another group the default in Zendesk (Admin Center › Team › Groups) or keep this group.'));
      }
      const r = await http.json({ method: 'DELETE', path: `/api/v2/groups/${id}` }, z.unknown());
      if (!r.ok) return r.error.code === 'zendesk.not_found' ? err(groupNotFound(id)) : r;
      return ok(undefined);
    },
    async *listMembers(groupId) {
      if (!isId(groupId)) {
        yield err(groupNotFound(groupId));
        return;
      }
      for await (const page of cursorPages(http, `/api/v2/groups/${groupId}/memberships`, 'group_memberships', membershipSchema)) {
        yield page.ok ? ok(page.value.map((m) => ({ membershipId: String(m.id), userId: String(m.user_id) }))) : page;
      }
    },
    async addMember(groupId, userId) {
      if (!isId(groupId) || !isId(userId)) return err(groupNotFound(groupId));
      const r = await http.json(
        { method: 'POST', path: '/api/v2/group_memberships', body: { group_membership: { user_id: Number(userId), group_id: Number(groupId) } } },
        z.looseObject({ group_membership: membershipSchema }),
      );
      if (r.ok) return ok({ membershipId: String(r.value.group_membership.id) });
      if (r.error.code === 'zendesk.record_invalid' || r.error.code === 'zendesk.duplicate_value') {
        const fields = Object.keys(r.error.fields ?? {});
        if (fields.includes('user_id') && !/already|taken|member/i.test(r.error.message)) {
          return err(zendeskError('group_member_not_agent', 'object', r.error.message, 'Only agents and admins can be in Zendesk groups: give this user an agent or admin role, or remove the group assignment.', { fields: r.error.fields ?? {} }));
        }
        // Already a member: adopt the existing membership.
        const existing = await findMembership(http, groupId, userId);
        if (existing.ok && existing.value) return ok({ membershipId: existing.value });
      }
      return r;
    },
    async removeMember(membershipId) {
      if (!isId(membershipId)) return err(zendeskError('not_found', 'object', `Membership ${membershipId} does not exist`, 'Nothing to remove.'));
      const r = await http.json({ method: 'DELETE', path: `/api/v2/group_memberships/${membershipId}` }, z.unknown());
      if (r.ok) return ok(undefined);
      if (r.error.class === 'object' && r.error.code !== 'zendesk.not_found') {
        return err(zendeskError('last_group_membership', 'object', r.error.message, 'Zendesk agents must belong to at least one group: add the user to another group first, or demote them to end user.', { fields: r.error.fields ?? {} }));
      }
      return r;
    },
  };
}

async function findMembership(http: ZendeskHttp, groupId: string, userId: string): Promise<ConnectorResult<string | null>> {
  for await (const page of cursorPages(http, `/api/v2/users/${userId}/group_memberships`, 'group_memberships', membershipSchema)) {
    if (!page.ok) return page;
    const m = page.value.find((x) => String(x.group_id) === groupId);
    if (m) return ok(String(m.id));
  }
  return ok(null);
}
