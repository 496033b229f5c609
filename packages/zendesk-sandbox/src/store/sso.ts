/**
 * Single sign-on settings of one account, as Admin Center holds them (Security → Single sign-on),
 * plus the in-memory replay guards of the sign-in endpoints.
 */
export interface SsoSettings {
  saml: { enabled: boolean; signInUrl: string | null; certFingerprint: string | null; remoteLogoutUrl: string | null };
  jwt: { enabled: boolean; signInUrl: string | null; remoteLogoutUrl: string | null; sharedSecret: string | null };
  /** Who signs in through SSO: team members (agents and admins) and/or end users. */
  agents: boolean;
  endUsers: boolean;
  /** The account's (single) brand id, sent as `brand_id` to the IdP; drawn from the id sequence on first use. */
  brandId: number | null;
}

export function defaultSso(): SsoSettings {
  return {
    saml: { enabled: false, signInUrl: null, certFingerprint: null, remoteLogoutUrl: null },
    jwt: { enabled: false, signInUrl: null, remoteLogoutUrl: null, sharedSecret: null },
    agents: false,
    endUsers: false,
    brandId: null,
  };
}

/** The method an unsigned visitor is sent to: SAML when enabled, else JWT, else none. */
export function activeMethod(sso: SsoSettings): 'saml' | 'jwt' | null {
  if (!sso.agents && !sso.endUsers) return null;
  if (sso.saml.enabled) return 'saml';
  if (sso.jwt.enabled) return 'jwt';
  return null;
}

/** `AB:CD:…` (upper case, colon separated) from any case, with or without colons; null if not 32 bytes of hex. */
export function normalizeFingerprint(raw: string): string | null {
  const hex = raw.replace(/[:\s]/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}

/**
 * Ids seen once and refused afterwards until they expire (assertion ids, JWT `jti`s) or ids issued and
 * accepted once (AuthnRequest ids). Bounded: past `max` entries the oldest are dropped.
 */
export class ExpiringIds {
  private readonly until = new Map<string, number>();
  constructor(private readonly max = 100_000) {}

  /** Adds `id` valid until `untilMs`; false when it is already there (and not expired). */
  add(id: string, untilMs: number, nowMs = Date.now()): boolean {
    this.prune(nowMs);
    const known = this.until.get(id);
    if (known !== undefined && known > nowMs) return false;
    this.until.set(id, untilMs);
    while (this.until.size > this.max) {
      const oldest = this.until.keys().next().value as string;
      this.until.delete(oldest);
    }
    return true;
  }

  /** Whether `id` is there and not expired. */
  has(id: string, nowMs = Date.now()): boolean {
    const until = this.until.get(id);
    return until !== undefined && until > nowMs;
  }

  /** Removes `id` and says whether it was there and not expired. */
  take(id: string, nowMs = Date.now()): boolean {
    const until = this.until.get(id);
    this.until.delete(id);
    return until !== undefined && until > nowMs;
  }

  private prune(nowMs: number): void {
    if (this.until.size < 1000) return;
    for (const [id, until] of this.until) if (until <= nowMs) this.until.delete(id);
  }
}

/** What the sign-in endpoints remember between requests (not kept in the state file). */
export interface SsoMemory {
  /** AuthnRequest ids this account issued, accepted once as `InResponseTo`. */
  readonly authnRequests: ExpiringIds;
  /** Assertion ids already used. */
  readonly assertions: ExpiringIds;
  /** JWT `jti`s already used. */
  readonly jtis: ExpiringIds;
}

export function newSsoMemory(): SsoMemory {
  return { authnRequests: new ExpiringIds(), assertions: new ExpiringIds(), jtis: new ExpiringIds() };
}
