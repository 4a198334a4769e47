// Helpers the tests and command-line tools of several packages share. This package depends on the client and the
// contracts, never on the API, so that the API's own tests can use it too.
export { disposeClients, nativeClient, tracked, verifiedUser } from './api-clients.js';
export { argumentError, commandLine, positiveNumber } from './command-line.js';
export { type Credentials, newCredentials } from './credentials.js';
export { DEMO_USER } from './demo-user.js';
export { freePort } from './free-port.js';
export { activeResources, collectGarbage, type HeapUsage } from './inspector.js';
export { type JsonSchema, jsonSchemaOf } from './json-schema.js';
export { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js';
export { type OversizedPosts, postOversized } from './oversized-posts.js';
export { tallyPosts } from './oversized-posts.client.js';
export {
  connected,
  disposeRealtime,
  nextEvent,
  realtimeClient,
  userEvents,
} from './realtime-clients.js';
export { rejection } from './rejection.js';
