import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { Config } from '../config/config.js';
import { ProblemError } from '../problem/problem.error.js';

/**
 * For routes authenticated by a cookie (refresh, logout), defence in depth beside SameSite:
 * a JSON body is required (a cross-site form cannot send one without a CORS preflight), and a
 * present Origin must be one of CORS_ORIGINS.
 */
@Injectable()
export class CookieCsrfGuard implements CanActivate {
  private readonly allowed: Set<string>;

  constructor(config: Config) {
    this.allowed = new Set(config.CORS_ORIGINS);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const contentType = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(contentType)) {
      throw new ProblemError(
        'unsupported_media_type',
        'Send a JSON body (Content-Type: application/json), even {}.',
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !this.allowed.has(origin)) {
      throw new ProblemError('origin_not_allowed', `Origin ${origin} is not in CORS_ORIGINS.`);
    }
    return true;
  }
}
