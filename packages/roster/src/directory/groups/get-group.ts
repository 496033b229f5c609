/** Reads one live group. */
import type { Executor } from '../../db/database.ts';
import type { Group } from './group-schemas.ts';
import { findGroup } from './group-view.ts';

/** The group with `id`, or a 404 naming `params.id`; deleted groups are not found. */
export const getGroup = (executor: Executor, id: string): Promise<Group> => findGroup(executor, id);
