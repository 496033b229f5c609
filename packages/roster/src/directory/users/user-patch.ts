/** The pure part of an update: the row a partial input makes from the current one. */
import { type UpdateUserInput, type UserRow, blankToNull, defaultDisplayName, userTextFields } from './user-fields.ts';

/** Applies built-in fields of `input` (custom values are merged by the caller, who validates them). */
export function applyUserPatch(current: UserRow, input: Omit<UpdateUserInput, 'custom' | 'version'>): UserRow {
  const next = { ...current };
  if (input.email !== undefined) next.email = input.email;
  for (const f of userTextFields) {
    if (f === 'displayName') continue;
    if (input[f] !== undefined) next[f] = blankToNull(input[f]);
  }
  if (input.managerId !== undefined) next.managerId = input.managerId;
  const oldDefault = defaultDisplayName(current.givenName, current.familyName, current.email);
  const givenDisplay = input.displayName === undefined ? undefined : blankToNull(input.displayName);
  // A display name that was only ever the default follows the name parts it was made from.
  if (givenDisplay) next.displayName = givenDisplay;
  else if (givenDisplay === null || current.displayName === oldDefault) next.displayName = defaultDisplayName(next.givenName, next.familyName, next.email);
  return next;
}
