import { Controller, Res } from '@nestjs/common';
import { contract, type Health, type Readiness } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { Handles } from '../core/http/handles.js';
import { HealthService } from './health.service.js';

const health = contract.health;

@Controller()
export class HealthController {
  constructor(private readonly service: HealthService) {}

  /**
   * Readable from any site: a browser client probes it (no-cors) to tell an unreachable API from
   * one that refuses its origin, which the default same-site policy would hide.
   */
  @Handles(health.live)
  liveness(@Res({ passthrough: true }) reply: FastifyReply): Health {
    reply.header('cross-origin-resource-policy', 'cross-origin');
    return this.service.health();
  }

  @Handles(health.ready)
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<Readiness> {
    const readiness = await this.service.readiness();
    reply.header('cache-control', 'no-store');
    reply.header('cross-origin-resource-policy', 'cross-origin');
    if (readiness.status !== 'ok') reply.status(503);
    return readiness;
  }
}
