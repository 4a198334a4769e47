import { z } from 'zod';

/** Page numbers start at 1; the total count is in the X-Total-Count header. */
export const paginationSchema = z
  .object({
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict()
  .meta({ id: 'Pagination' });
export type Pagination = z.infer<typeof paginationSchema>;

export const TOTAL_COUNT_HEADER = 'X-Total-Count';
