import { features } from './features.gen.js';

export * from './endpoint.js';

/**
 * The API surface, one entry per route, grouped by feature. The API binds a handler to each entry,
 * the OpenAPI document is generated from the bound ones, and the client's calls are derived from
 * it (`api.notes.list()`): a route is stated here and nowhere else. Each feature states its own
 * in its contracts file (`<feature>Contract` in `<feature>.ts`); features.gen.ts gathers them.
 */
export const contract = features;

export type AppContract = typeof contract;
