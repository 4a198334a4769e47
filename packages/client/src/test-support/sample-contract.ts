import { contract, defineContract, paginationSchema } from '@repo/contracts';
import { z } from 'zod';

/**
 * The API's contract with a sample resource of its own, `items`: the client's tests exercise
 * paginated lists, path parameters and bodies on it, so they hold whatever features the app has.
 */
const itemSchema = z.object({ id: z.uuid(), title: z.string(), version: z.number().int() });
export type Item = z.infer<typeof itemSchema>;

const id = z.object({ id: z.string() });
const item = { method: 'GET', path: '/items/:id', access: { apiKey: 'read' }, params: id } as const;

export const sampleContract = {
  ...contract,
  ...defineContract(
    {
      items: {
        list: {
          method: 'GET',
          path: '/items',
          summary: 'A page of items',
          access: { apiKey: 'read' },
          query: paginationSchema,
          response: z.array(itemSchema),
        },
        create: {
          method: 'POST',
          path: '/items',
          summary: 'Add an item',
          access: { apiKey: 'write' },
          body: z.object({ title: z.string().min(1) }),
          status: 201,
          response: itemSchema,
        },
        get: { ...item, summary: 'One item', response: itemSchema },
        update: {
          ...item,
          method: 'PATCH',
          summary: 'Change an item',
          body: z.object({ title: z.string(), version: z.number().int() }),
          response: itemSchema,
        },
        delete: {
          ...item,
          method: 'DELETE',
          summary: 'Remove an item',
          status: 204,
          // A sensitive change, for the re-authentication tests.
          reauth: true,
        },
      },
    },
    { items: 'Items of a sample feature' },
  ),
};

export const sampleItem = (n: number): Item => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  title: `Item ${n}`,
  version: 1,
});
