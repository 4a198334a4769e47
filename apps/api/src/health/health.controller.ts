import { Controller, Get, Res } from '@nestjs/common';
import { type Health, type Readiness } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { HealthService } from './health.service.js';
import { Public } from '../core/auth/access.decorators.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Readable from any site: a browser client probes it (no-cors) to tell an unreachable API from
   * one that refuses its origin, which the default same-site policy would hide.
   */
  @Get()
  liveness(@Res({ passthrough: true }) reply: FastifyReply): Health {
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return this.health.health();
  }

  @Get('ready')
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.health.readiness();
    reply.header('cache-control', 'no-store');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    if (readiness.status !== 'ok') reply.status(503);
    return readiness;
  }
}
