import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { parseBody } from './body.ts';

describe('parseBody', () => {
  it('parses JSON and form bodies', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('grant_type=x&scope=read+write'), 'application/x-www-form-urlencoded')).toEqual({
      grant_type: 'x',
      scope: 'read write',
    });
    expect(parseBody(Buffer.alloc(0), 'application/json')).toBeUndefined();
  });

  it('refuses malformed JSON with a 400 BadRequest', () => {
    try {
      parseBody(Buffer.from('{"user":'), 'application/json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).problem.status).toBe(400);
    }
  });
});
