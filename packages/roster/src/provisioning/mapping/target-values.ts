/**
 * Converts a mapped value to the type of the target field it is written to. Empty strings become
 * null (a cleared field), so "" and null never look like two different values to the hash or the diff.
 */
import type { TargetField } from '../../connectors/contract.ts';
import type { Result } from '../../errors/result.ts';
import { type Value, describeValue } from './expression/values.ts';

/** What a mapping writes: a scalar, or a list for `string[]` fields such as tags. */
export type TargetValue = string | number | boolean | null | string[];

/** Value types that can never convert to a target type; anything else is checked per value. */
const NEVER_FITS: Partial<Record<TargetField['type'], readonly string[]>> = { number: ['boolean'], boolean: ['number'], date: ['number', 'boolean'] };

/**
 * Why values of `valueType` (known before evaluation) can never be written to `field`, or undefined
 * when some or all can. Lets validation refuse `number ← [custom.isRemote]` on save, not per user.
 */
export function neverFits(valueType: string, field: Pick<TargetField, 'key' | 'type'>): string | undefined {
  return NEVER_FITS[field.type]?.includes(valueType) ? `gives a ${valueType}, and ${field.key} takes a ${field.type}` : undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

const ok = (value: TargetValue): Result<TargetValue, string> => ({ ok: true, value });
const refuse = (reason: string): Result<TargetValue, string> => ({ ok: false, error: reason });

export function toTargetValue(value: Value, field: Pick<TargetField, 'type' | 'enumValues'>): Result<TargetValue, string> {
  if (field.type === 'string[]') {
    // Tags: a string becomes its words, as a tag field's UI splits them.
    if (value === null) return ok([]);
    return ok(String(value).split(/[\s,]+/u).filter((t) => t !== ''));
  }
  if (value === null || value === '') return ok(null);
  switch (field.type) {
    case 'string':
      return ok(typeof value === 'string' ? value : String(value));
    case 'number': {
      if (typeof value === 'number') return ok(value);
      if (typeof value === 'string' && NUMBER.test(value.trim())) return ok(Number(value.trim()));
      return refuse(`must be a number, got ${describeValue(value)}`);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return ok(value);
      const lower = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (lower === 'true' || lower === 'false') return ok(lower === 'true');
      return refuse(`must be true or false, got ${describeValue(value)}`);
    }
    case 'date':
      if (typeof value === 'string' && isRealDate(value)) return ok(value);
      return refuse(`must be a date as YYYY-MM-DD, got ${describeValue(value)}`);
    case 'enum': {
      const text = String(value);
      if (!field.enumValues || field.enumValues.includes(text)) return ok(text);
      return refuse(`must be one of ${field.enumValues.join(', ')}, got ${describeValue(value)}`);
    }
  }
}

/** `2024-02-29` yes, `2023-02-29` and `2024-13-01` no; a time part, when given, must parse. */
function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && !Number.isNaN(Date.parse(text));
}
