import { describe, expect, it } from 'vitest';
import { splitTarget } from './server.ts';

describe('splitTarget', () => {
  it('keeps odd paths such as // as paths, not hosts', () => {
    expect(splitTarget('//?role=a').pathname).toBe('//');
    expect(splitTarget('//?role=a').searchParams.get('role')).toBe('a');
    expect(splitTarget('//evil.test/api').pathname).toBe('//evil.test/api');
  });

  it('handles plain and absolute-form targets and malformed escapes', () => {
    expect(splitTarget('/api/v2/users.json?page[size]=2').searchParams.get('page[size]')).toBe('2');
    expect(splitTarget('http://h:1/api/v2/users?x=1').pathname).toBe('/api/v2/users');
    expect(splitTarget('/a?page=%ZZ').searchParams.get('page')).toBe('%ZZ');
  });
});
