import { describe, expect, it } from 'vitest';
import { formatRecord, formatTable } from './output.ts';

describe('formatTable', () => {
  it('aligns columns, upper-cases headers and shows empty cells for null', () => {
    const text = formatTable(
      [
        { id: 'a1', email: 'ada@example.test', dept: null },
        { id: 'b22', email: 'b@x.test', dept: 'Math' },
      ],
      [
        { header: 'id', value: (r) => r.id },
        { header: 'email', value: (r) => r.email },
        { header: 'dept', value: (r) => r.dept },
      ],
    );
    expect(text.split('\n')).toEqual(['ID   EMAIL             DEPT', 'a1   ada@example.test', 'b22  b@x.test          Math']);
  });
});

describe('formatRecord', () => {
  it('prints one key per line with arrays joined', () => {
    expect(formatRecord({ id: 'x', permissions: ['a', 'b'], n: 3 })).toBe('id           x\npermissions  a,b\nn            3');
  });
});
