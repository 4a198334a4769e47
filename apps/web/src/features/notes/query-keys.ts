/** TanStack Query keys of the notes: every page of the list starts with `all`. */
export const notesKeys = {
  all: ['notes'] as const,
  page: (page: number, pageSize: number) => ['notes', { page, pageSize }] as const,
};
