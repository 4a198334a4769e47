/** What the user told us about themselves, which a password must not be made of. */
export interface PersonalInfo {
  email: string;
  name: string;
}

/** A word of personal information counts from this length ("Al" or "jo" are everywhere). */
const MIN_WORD = 3;
/** The local part or the whole name counts as contained from this length. */
const MIN_WHOLE = 4;
/** Fewer letters than this left once the personal words and digits are out: derived. */
const MIN_REST = 4;

/** Lower case, accents off, letters and digits only: "Ada.Lövelace-1" → "adalovelace1". */
const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** Letters typed as look-alike digits and symbols: "L0v3l4c3" → "lovelace" (1 is i or l). */
const LEET: Record<string, string> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const unleet = (text: string, one: 'i' | 'l') =>
  text.replace(/[013457@$]/g, (ch) => (ch === '1' ? one : (LEET[ch] ?? ch)));

/**
 * Whether a password is built from the email's local part or the name. Compared folded (case,
 * accents, punctuation and spaces ignored), as typed and with look-alike digits read as letters:
 * - it contains the whole local part or the whole name (when that is 4 characters or more):
 *   "ada.lovelace" in "AdaLovelace!2024";
 * - or it is made of their words (3 letters or more) and digits, with fewer than 4 other letters
 *   left: "Lovelace1815!", "ada_1815_lovelace", "L0v3l4c3 Ada".
 */
export function isSimilarToPersonalInfo(password: string, info: PersonalInfo): boolean {
  const localPart = info.email.slice(0, info.email.lastIndexOf('@'));
  const wholes = [fold(localPart), fold(info.name)].filter((w) => w.length >= MIN_WHOLE);
  const words = [localPart, info.name]
    .flatMap((text) => text.split(/[^\p{L}]+/u))
    .map(fold)
    .filter((w) => w.length >= MIN_WORD)
    // Longest first, so "lovelaces" goes before "love" can split it.
    .sort((a, b) => b.length - a.length);

  const variants = [password, unleet(password, 'i'), unleet(password, 'l')].map(fold);
  return variants.some((candidate) => {
    if (wholes.some((whole) => candidate.includes(whole))) return true;
    const rest = words.reduce((left, word) => left.replaceAll(word, ''), candidate);
    return rest !== candidate && rest.replace(/\p{N}/gu, '').length < MIN_REST;
  });
}
