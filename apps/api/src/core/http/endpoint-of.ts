import { type ExecutionContext } from '@nestjs/common';
import { type Endpoint } from '@repo/contracts';

/** The metadata key under which Handles binds a controller method to its endpoint. */
export const ENDPOINT_KEY = 'endpoint';

/** Each handler's endpoint, read from its metadata once: the guards ask on every request. */
const endpointByHandler = new WeakMap<object, Endpoint | undefined>();

/** The endpoint a request was routed to; undefined for a handler bound by other means. */
export function endpointOf(context: ExecutionContext): Endpoint | undefined {
  const handler = context.getHandler();
  if (!endpointByHandler.has(handler)) endpointByHandler.set(handler, endpointOfMethod(handler));
  return endpointByHandler.get(handler);
}

/** The endpoint a controller method is bound to. */
export function endpointOfMethod(method: object): Endpoint | undefined {
  return Reflect.getMetadata(ENDPOINT_KEY, method) as Endpoint | undefined;
}
