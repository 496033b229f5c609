import { describe, expect, it } from 'vitest';
import { shapeDifferences } from './shape.ts';

describe('shapeDifferences', () => {
  it('finds missing and extra keys, type and nullability changes, at any depth', () => {
    const recorded = { user: { id: 1, email: null, tags: [], identities: [{ id: 2, primary: true }] } };
    expect(shapeDifferences(recorded, { user: { id: 9, email: null, tags: ['x'], identities: [{ id: 3, primary: false }] } })).toEqual([]);
    expect(shapeDifferences(recorded, { user: { id: '1', email: 'a@b', identities: [{ id: 3 }], extra: 1 } })).toEqual([
      '$.user.id: recorded number, sandbox string',
      '$.user.email: recorded null, sandbox string',
      "$.user.tags: missing in the sandbox's answer",
      "$.user.identities[0].primary: missing in the sandbox's answer",
      '$.user.extra: not in the recording',
    ]);
  });

  it('skips drift keys and compares user_fields as an object only', () => {
    expect(shapeDifferences({ chat_only: false, user_fields: { a: null } }, { user_fields: { b: 'x', c: 1 } }, { chat_only: 'gone since 2023' })).toEqual([]);
    expect(shapeDifferences({ user_fields: {} }, { user_fields: null })).toEqual(['$.user_fields: recorded object, sandbox null']);
  });
});
