/**
 * A target may keep one `name`; the directory keeps given and family names. Imports split the
 * name the way most directories' own import tools do, and the rule is documented
 * (docs/provisioning-api.md, the import from a target):
 * - "Family, Given" (one comma) → family before the comma, given after it;
 * - otherwise the last word is the family name, together with the lower-case particles just before
 *   it ("Ludwig van Beethoven" → "Ludwig" / "van Beethoven");
 * - one word (or an email address, which a target may use when a user has no name) → given name only.
 */

/** Lower-case words that belong to the family name that follows them. */
const PARTICLES = new Set(['van', 'von', 'der', 'den', 'de', 'del', 'della', 'di', 'da', 'do', 'dos', 'das', 'du', 'la', 'le', 'ter', 'ten', 'bin', 'ibn', 'al', 'el', 'st.']);

export interface SplitName {
  givenName: string | null;
  familyName: string | null;
}

export function splitName(name: string | null | undefined): SplitName {
  const clean = (name ?? '').replace(/\s+/g, ' ').trim();
  if (clean === '') return { givenName: null, familyName: null };
  const comma = clean.split(',');
  if (comma.length === 2 && comma[0]!.trim() !== '' && comma[1]!.trim() !== '') return { givenName: comma[1]!.trim(), familyName: comma[0]!.trim() };
  const words = clean.split(' ');
  if (words.length === 1) return { givenName: clean, familyName: null };
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!)) start -= 1;
  return { givenName: words.slice(0, start).join(' '), familyName: words.slice(start).join(' ') };
}
