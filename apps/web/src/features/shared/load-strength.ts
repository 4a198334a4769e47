import { type Strength, type strengthOf } from './strength';

let estimator: Promise<{ strengthOf: typeof strengthOf }> | undefined;

/**
 * The strength of a password, or null for an empty one or when the estimator could not be
 * loaded (the server's rules still apply). The estimator is fetched on first use.
 */
export async function estimateStrength(
  password: string,
  userInputs: readonly string[],
): Promise<Strength | null> {
  if (!password) return null;
  try {
    estimator ??= import('./strength');
    return (await estimator).strengthOf(password, userInputs);
  } catch {
    estimator = undefined; // try again on the next keystroke
    return null;
  }
}
