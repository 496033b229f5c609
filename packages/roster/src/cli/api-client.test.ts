import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client.ts';

describe('API errors as the CLI prints them', () => {
  it('prints each problem once: a message that only repeats the issues becomes words', () => {
    const e = new ApiError(400, 'validation_failed', 'body.email: must be an email address; body.role: unknown role', [
      { path: 'body.email', reason: 'must be an email address' },
      { path: 'body.role', reason: 'unknown role' },
    ]);
    expect(e.format()).toBe('error validation_failed: some inputs are wrong:\n  body.email: must be an email address\n  body.role: unknown role');
  });

  it('keeps a message that says more than its issues', () => {
    expect(new ApiError(409, 'conflict', 'The last owner cannot be removed.', []).format()).toBe('error conflict: The last owner cannot be removed.');
    expect(new ApiError(409, 'duplicate', 'A user with this email exists.', [{ path: 'body.email', reason: 'taken' }]).format()).toBe('error duplicate: A user with this email exists.\n  body.email: taken');
  });
});
