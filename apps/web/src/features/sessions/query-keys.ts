/** TanStack Query keys of the sessions: the list, refetched when another session ends. */
export const sessionsKeys = {
  all: ['sessions'] as const,
};
