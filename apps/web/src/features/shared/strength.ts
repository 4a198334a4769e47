import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/**
 * The strength estimator and its dictionaries (over a megabyte): loaded only by load-strength.ts,
 * when someone types a new password, so no other page downloads it.
 */
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...commonDictionary, ...englishDictionary },
  graphs: adjacencyGraphs,
  translations,
});

export interface Strength {
  /** 0 (guessed at once) to 4 (very unlikely to be guessed). */
  score: 0 | 1 | 2 | 3 | 4;
  warning: string | null;
  suggestions: string[];
}

/** How guessable a password is, knowing the user's own words (name, email). */
export function strengthOf(password: string, userInputs: readonly string[]): Strength {
  const { score, feedback } = zxcvbn.check(password, [...userInputs]);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
}
