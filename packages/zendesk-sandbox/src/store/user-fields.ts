/** A custom user field (API-NOTES §9); values live in `user.user_fields[key]`. */
export interface UserFieldRecord {
  id: number;
  key: string;
  type: 'text' | 'dropdown' | 'checkbox' | 'date' | 'integer';
  title: string;
  description: string;
  position: number;
  options: Array<{ id: number; name: string; value: string }>;
  active: boolean;
  regexpForValidation: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields every account is seeded with, so a connector can read a catalogue. */
export const SEEDED_USER_FIELDS: ReadonlyArray<Omit<UserFieldRecord, 'id' | 'createdAt' | 'updatedAt' | 'active' | 'regexpForValidation' | 'options'> & { options: string[] }> = [
  { key: 'department', type: 'text', title: 'Department', description: 'Department name', position: 0, options: [] },
  { key: 'employee_type', type: 'dropdown', title: 'Employee type', description: 'Kind of contract', position: 1, options: ['employee', 'contractor'] },
  { key: 'start_date', type: 'date', title: 'Start date', description: 'First working day', position: 2, options: [] },
];
