import {
  applyDecorators,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { type Endpoint, type HttpMethod, successStatus } from '@repo/contracts';
import { type z } from 'zod';
import { CookieCsrfGuard } from './cookie-csrf.guard.js';
import { ENDPOINT_KEY } from './endpoint-of.js';
import { InputGuard } from './input.js';

const ROUTE: Record<HttpMethod, (path: string) => MethodDecorator> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  PATCH: Patch,
  DELETE: Delete,
};

/** What a handler of the endpoint resolves to: its response, or nothing for 202/204. */
type OutputOf<E extends Endpoint> = E extends { response: infer R extends z.ZodType }
  ? z.output<R>
  : void;

type Handler<E extends Endpoint> = (...args: never[]) => OutputOf<E> | Promise<OutputOf<E>>;

/**
 * Binds a controller method to an endpoint of the contract: its route, success status and access
 * rule (read by the global AccessGuard), input validation (InputGuard) and its OpenAPI entry (the
 * document lists the bound endpoints). The method's return type is checked against the response.
 */
export function Handles<E extends Endpoint>(endpoint: E) {
  const decorators = [
    ROUTE[endpoint.method](endpoint.path),
    HttpCode(successStatus(endpoint)),
    SetMetadata(ENDPOINT_KEY, endpoint),
    // After the global guards (rate limits, access): cookie-authenticated routes get the CSRF
    // checks beside SameSite, then routes that take input get it checked (the others, such as
    // /health, pay nothing for it).
    UseGuards(
      ...(endpoint.access === 'refresh-cookie' ? [CookieCsrfGuard] : []),
      ...(endpoint.params || endpoint.query || endpoint.body ? [InputGuard] : []),
    ),
  ];
  return applyDecorators(...decorators) as <H extends Handler<E>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ) => void;
}
