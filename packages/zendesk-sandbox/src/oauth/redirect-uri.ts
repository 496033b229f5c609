const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Is `uri` registered on the client? Exact match, or — for loopback hosts — same scheme, host and
 * path with any port (RFC 8252 §7.3), so a local app on a random port can use the seeded client.
 */
export function redirectUriAllowed(registered: readonly string[], uri: string): boolean {
  if (registered.includes(uri)) return true;
  let wanted: URL;
  try {
    wanted = new URL(uri);
  } catch {
    return false;
  }
  if (!LOOPBACK.has(wanted.hostname)) return false;
  return registered.some((r) => {
    try {
      const reg = new URL(r);
      return LOOPBACK.has(reg.hostname) && reg.hostname === wanted.hostname && reg.protocol === wanted.protocol && reg.pathname === wanted.pathname;
    } catch {
      return false;
    }
  });
}
