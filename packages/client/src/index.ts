// The public API of the client. Everything else in this package is internal.
export { ApiClient, type ApiClientEvents, type ApiClientOptions } from './api-client.js';
export { buildPath } from './calls/call.js';
export type { ReauthHandler } from './calls/reauth-handler.js';
export type {
  Call,
  CallInput,
  Calls,
  EndpointResponse,
  EndpointResult,
  Page,
  RequestOptions,
} from './calls/types.js';
export * from './diagnosis/diagnose.js';
export { Emitter, type Listener } from './emitter.js';
export { RealtimeClient } from './realtime/realtime-client.js';
export { RealtimeError } from './realtime/realtime-error.js';
export type {
  EventHandler,
  RealtimeClientOptions,
  RealtimeEvents,
  RealtimeState,
  RealtimeTokenSource,
  ServerEvent,
  WebSocketConstructorLike,
  WebSocketLike,
} from './realtime/realtime-types.js';
export { realtimeUrl } from './realtime/realtime-url.js';
export type {
  ClientMode,
  LoggedOut,
  SessionStatus,
  SessionTokens,
  TokenChange,
  TokenChangeReason,
} from './session/session-types.js';
export type { CrossTabOptions } from './session/cross-tab.js';
export type { SessionHint } from './session/session-hint.js';
export {
  ApiError,
  type ApiErrorInit,
  type ApiErrorKind,
  type NetworkFailureKind,
} from './transport/api-error.js';
export { isProblemOf, type ProblemOf } from './transport/problem-of.js';
export type { RetryOptions } from './transport/retry-policy.js';
export type { RetryEvent } from './transport/transport.js';
