import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract } from './contract.js';
import { type Endpoint, endpointsOf } from './endpoint.js';

describe('the contract', () => {
  const all = endpointsOf(contract);

  it('names each endpoint after its feature and its key', () => {
    for (const [feature, table] of Object.entries(contract)) {
      for (const [name, endpoint] of Object.entries<Endpoint>(table)) {
        expect(endpoint.id).toBe(`${feature}.${name}`);
        expect(endpoint.tag).toBe(feature);
      }
    }
  });

  it('states each route once', () => {
    const routes = all.map((e) => `${e.method} ${e.path}`);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('declares a schema for every path parameter, and only those', () => {
    for (const e of all) {
      const placeholders = [...e.path.matchAll(/:(\w+)/g)].map(([, name]) => name).sort();
      const declared = e.params ? Object.keys((e.params as z.ZodObject).shape).sort() : [];
      expect(declared, e.id).toEqual(placeholders);
    }
  });
});
