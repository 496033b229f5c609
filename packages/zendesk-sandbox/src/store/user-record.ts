/** Base roles a user can hold (API-NOTES §2). */
export type Role = 'end-user' | 'agent' | 'admin';

/** An identity attached to a user (API-NOTES §1.17). */
export interface Identity {
  id: number;
  userId: number;
  type: string;
  value: string;
  primary: boolean;
  verified: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The stored user. Derived fields (role_type, restricted_agent…) are computed when serialised. */
export interface UserRecord {
  id: number;
  name: string;
  /** Primary email value; kept after soft delete for display, cleared on permanent deletion. */
  email: string | null;
  role: Role;
  customRoleId: number | null;
  externalId: string | null;
  active: boolean;
  suspended: boolean;
  organizationId: number | null;
  phone: string | null;
  alias: string | null;
  details: string | null;
  notes: string | null;
  signature: string | null;
  timeZone: string;
  locale: string;
  localeId: number;
  ticketRestriction: string | null;
  onlyPrivateComments: boolean;
  moderator: boolean;
  sharedPhoneNumber: boolean | null;
  tags: string[];
  userFields: Record<string, unknown>;
  identities: Identity[];
  lastLoginAt: string | null;
  owner: boolean;
  /** Password for the sandbox's sign-in page (admins only); never serialised. */
  password: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  permanentlyDeleted: boolean;
}

/** Fields a new user starts with (the recorded default end user, API-NOTES §2). */
export function blankUser(id: number, name: string, now: string): UserRecord {
  return {
    id,
    name,
    email: null,
    role: 'end-user',
    customRoleId: null,
    externalId: null,
    active: true,
    suspended: false,
    organizationId: null,
    phone: null,
    alias: null,
    details: null,
    notes: null,
    signature: null,
    timeZone: 'America/New_York',
    locale: 'en-US',
    localeId: 1,
    ticketRestriction: 'requested',
    onlyPrivateComments: false,
    moderator: false,
    sharedPhoneNumber: null,
    tags: [],
    userFields: {},
    identities: [],
    lastLoginAt: null,
    owner: false,
    password: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
    permanentlyDeleted: false,
  };
}

export function isTeamMember(user: UserRecord): boolean {
  return user.role === 'agent' || user.role === 'admin';
}
