// The helpers live in the package (src/clients.ts): the resilience suite's tests use them too.
export {
  connected,
  disposeRealtime,
  nextEvent,
  realtimeClient,
  userEvents,
} from '../../src/clients.js';
