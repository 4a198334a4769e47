/** TanStack Query keys of the app, in one place so invalidations match the queries. */
export const queryKeys = {
  apiStatus: ['api-status'] as const,
  notes: ['notes'] as const,
  notesPage: (page: number, pageSize: number) => ['notes', { page, pageSize }] as const,
  sessions: ['sessions'] as const,
  apiKeys: ['api-keys'] as const,
};

/** Queries that belong to the logged-in user: dropped at logout. */
export const USER_QUERY_ROOTS: readonly string[] = ['notes', 'sessions', 'api-keys'];
