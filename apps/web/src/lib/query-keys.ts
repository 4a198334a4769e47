/** TanStack Query keys of the app, in one place so invalidations match the queries. */
export const queryKeys = {
  apiStatus: ['api-status'] as const,
  sessions: ['sessions'] as const,
  apiKeys: ['api-keys'] as const,
};
