import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { type Endpoint } from '@repo/contracts';
import { type FastifyRequest } from 'fastify';
import { type z } from 'zod';
import { ProblemError } from '../problem/problem.error.js';
import { endpointOf } from './endpoint-of.js';

type Parsed<E, K extends 'params' | 'query' | 'body'> = E extends {
  [key in K]: infer S extends z.ZodType;
}
  ? z.output<S>
  : undefined;

/** A request's input as its endpoint's schemas parsed it (defaults filled in, text trimmed...). */
export interface InputOf<E extends Endpoint> {
  params: Parsed<E, 'params'>;
  query: Parsed<E, 'query'>;
  body: Parsed<E, 'body'>;
}

const INPUT = Symbol('input');
type WithInput = FastifyRequest & { [INPUT]?: Record<keyof InputOf<Endpoint>, unknown> };

/**
 * The last guard of every bound route that takes input (see Handles): checks the path
 * parameters, query and body against the endpoint's schemas and keeps what they parsed for
 * @Input(). Any mismatch is a 400 validation_failed problem naming each field, before the handler
 * runs.
 */
@Injectable()
export class InputGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const endpoint = endpointOf(context);
    if (!endpoint) return true;
    const request = context.switchToHttp().getRequest<WithInput>();
    const issues: z.core.$ZodIssue[] = [];
    const parse = (schema: z.ZodType | undefined, value: unknown) => {
      if (!schema) return undefined;
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      issues.push(...result.error.issues);
      return undefined;
    };
    const input = {
      params: parse(endpoint.params, request.params),
      query: parse(endpoint.query, request.query),
      body: parse(endpoint.body, request.body),
    };
    if (issues.length > 0) {
      throw new ProblemError('validation_failed', 'The request has invalid fields.', {
        errors: issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    request[INPUT] = input;
    return true;
  }
}

/** The validated input of the endpoint the handler is bound to (see InputGuard). */
export const Input = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<WithInput>()[INPUT],
);
