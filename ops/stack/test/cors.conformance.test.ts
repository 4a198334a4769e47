import { describe } from 'vitest';
import { corsConformance } from './support/cors-conformance.js';
import { devTopology, proxyTopology } from './support/topologies.js';

describe.each([
  ['dev (CORS in the app)', devTopology],
  ['stack (CORS at the proxy)', (origins: string[]) => proxyTopology(origins)],
  // A deployment that forgot CORS_MODE=proxy: still one answer, nginx's.
  ['stack with the API wrongly in CORS_MODE=app', (o: string[]) => proxyTopology(o, 'app')],
])('CORS conformance: %s', (_, start) => {
  corsConformance(start);
});
