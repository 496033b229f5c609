/**
 * Removes diacritics: `é` → `e`, `Ñ` → `N`, plus the letters Unicode does not decompose
 * (`ß` → `ss`, `æ` → `ae`, `ø` → `o`, `ł` → `l`, `đ` → `d`, `þ` → `th` …), as Entra's
 * NormalizeDiacritics does, so names become safe for systems that only take ASCII-ish text.
 */

/** Letters without a canonical decomposition, and their conventional Latin spelling. */
const LETTERS: Record<string, string> = {
  ß: 'ss', ẞ: 'SS', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D',
  ð: 'd', Ð: 'D', þ: 'th', Þ: 'Th', ı: 'i', ħ: 'h', Ħ: 'H', ŀ: 'l', Ŀ: 'L', ŧ: 't', Ŧ: 'T', ŉ: "'n", ĸ: 'k',
};

// Plain printable ASCII is by far the common case; it skips the work below.
const NEEDS_WORK = /[^\t\n\r\x20-\x7e]/;

/** The combining diacritical blocks only: vowel signs of Indic scripts are marks too, and must stay. */
const isDiacritic = (code: number): boolean =>
  (code >= 0x0300 && code <= 0x036f) || (code >= 0x1ab0 && code <= 0x1aff) || (code >= 0x1dc0 && code <= 0x1dff) || (code >= 0x20d0 && code <= 0x20ff) || (code >= 0xfe20 && code <= 0xfe2f);

export function normalizeDiacritics(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let out = '';
  for (const c of text.normalize('NFD')) {
    if (!isDiacritic(c.charCodeAt(0))) out += LETTERS[c] ?? c;
  }
  return out.normalize('NFC');
}
