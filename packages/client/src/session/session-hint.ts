/**
 * Browser mode: a flag (never a token) saying this browser may hold a refresh cookie, so that a
 * visitor who never logged in costs no refresh call on load — and no 401 in the console.
 */
export interface SessionHint {
  get(): boolean;
  set(present: boolean): void;
}

/** The flag in localStorage, or undefined where there is none (Node, some private modes). */
export function localStorageHint(key: string): SessionHint | undefined {
  let storage: Storage;
  try {
    storage = globalThis.localStorage;
    if (!storage) return undefined;
  } catch {
    return undefined;
  }
  return {
    get: () => storage.getItem(key) === '1',
    set: (present) => {
      try {
        if (present) storage.setItem(key, '1');
        else storage.removeItem(key);
      } catch {
        // Storage full or blocked: the hint is an optimisation only.
      }
    },
  };
}
