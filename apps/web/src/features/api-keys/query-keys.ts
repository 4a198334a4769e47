/** TanStack Query keys of the API keys: the list, refetched when keys are revoked. */
export const apiKeysKeys = {
  all: ['api-keys'] as const,
};
