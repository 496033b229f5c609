/**
 * Decides which CSV column feeds which user field: an explicit mapping (CSV header → field) wins,
 * the rest is recognised from common header spellings ("First Name", "E-mail", "Employee ID"),
 * case- and punctuation-insensitively. Custom attributes map by key, label or `custom.<key>`.
 */
import { AppError, type FieldIssue } from '../errors/app-error.ts';
import { type UserTextField, userTextFields } from '../directory/users/user-fields.ts';

export type ImportField = 'email' | 'manager' | 'status' | UserTextField;
export type ColumnTarget = { kind: 'field'; field: ImportField } | { kind: 'custom'; key: string };

const normalize = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

const aliases: Record<ImportField, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'primaryemail', 'workemail'],
  givenName: ['givenname', 'firstname', 'first', 'forename'],
  familyName: ['familyname', 'lastname', 'last', 'surname'],
  displayName: ['displayname', 'name', 'fullname'],
  phone: ['phone', 'phonenumber', 'workphone', 'telephone', 'officephone', 'businessphone'],
  mobile: ['mobile', 'mobilephone', 'cell', 'cellphone', 'mobilenumber'],
  jobTitle: ['jobtitle', 'title', 'position'],
  department: ['department', 'dept'],
  employeeId: ['employeeid', 'employeenumber', 'empid', 'employeeno', 'staffid'],
  manager: ['manager', 'manageremail', 'manageremployeeid'],
  locale: ['locale', 'language'],
  timeZone: ['timezone', 'tz'],
  organization: ['organization', 'organisation', 'company', 'org'],
  location: ['location', 'office', 'site'],
  status: ['status', 'accountstatus'],
};

const importFields = new Set<string>(['email', 'manager', 'status', ...userTextFields]);
const byAlias = new Map<string, ImportField>(Object.entries(aliases).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])));

export interface HeaderPlan {
  /** One entry per CSV column; null = the column is ignored. */
  columns: (ColumnTarget | null)[];
  /** Headers that fed no field, so the caller can say so. */
  ignored: string[];
}

/** Parses a target name as a caller writes it in `mapping`: a field name, `custom.<key>`, or "" to ignore. */
function parseTarget(target: string, customKeys: ReadonlySet<string>): ColumnTarget | null | undefined {
  if (target === '') return null;
  if (target.startsWith('custom.')) {
    const key = target.slice(7);
    return customKeys.has(key) ? { kind: 'custom', key } : undefined;
  }
  return importFields.has(target) ? { kind: 'field', field: target as ImportField } : undefined;
}

export function planHeaders(
  headers: readonly string[],
  mapping: Readonly<Record<string, string>> | undefined,
  custom: readonly { key: string; label: string }[],
): HeaderPlan {
  const customKeys = new Set(custom.map((c) => c.key));
  const customByName = new Map<string, string>();
  for (const c of custom) {
    customByName.set(normalize(c.label), c.key);
    customByName.set(normalize(c.key), c.key);
  }
  const issues: FieldIssue[] = [];
  for (const [header, target] of Object.entries(mapping ?? {})) {
    if (!headers.includes(header)) issues.push({ path: `query.mapping.${header}`, reason: 'is not a column of this CSV' });
    else if (parseTarget(target, customKeys) === undefined) issues.push({ path: `query.mapping.${header}`, reason: `${target} is not a user field or defined custom attribute` });
  }
  const columns = headers.map((h): ColumnTarget | null => {
    if (mapping && h in mapping) return parseTarget(mapping[h] as string, customKeys) ?? null;
    if (h.toLowerCase().startsWith('custom.')) return parseTarget(h.slice(0, 7).toLowerCase() + h.slice(7), customKeys) ?? null;
    const n = normalize(h);
    const field = byAlias.get(n);
    if (field) return { kind: 'field', field };
    const key = customByName.get(n);
    return key ? { kind: 'custom', key } : null;
  });
  const seen = new Map<string, string>();
  columns.forEach((c, i) => {
    if (!c) return;
    const name = c.kind === 'field' ? c.field : `custom.${c.key}`;
    const other = seen.get(name);
    if (other !== undefined) issues.push({ path: `body.header.${headers[i]}`, reason: `feeds ${name}, as the column ${other} already does` });
    else seen.set(name, headers[i] as string);
  });
  if (issues.length > 0) throw new AppError('validation_failed', issues.map((i) => `${i.path}: ${i.reason}`).join('; '), { issues });
  return { columns, ignored: headers.filter((_, i) => columns[i] === null) };
}

/** Refuses a CSV that lacks a column the import cannot do without. */
export function requireColumns(plan: HeaderPlan, fields: readonly ImportField[]): void {
  const present = new Set(plan.columns.flatMap((c) => (c?.kind === 'field' ? [c.field] : [])));
  const missing = fields.filter((f) => !present.has(f));
  if (missing.length > 0) {
    throw new AppError('csv_invalid', `The CSV has no ${missing.join(', ')} column (looked for headers such as ${missing.map((m) => `"${aliases[m][0]}"`).join(', ')}).`, {
      issues: missing.map((m) => ({ path: `body.header.${m}`, reason: 'required column is missing' })),
    });
  }
}
