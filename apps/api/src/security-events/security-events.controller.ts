import { Controller, Res } from '@nestjs/common';
import { contract, type SecurityEvent, TOTAL_COUNT_HEADER } from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { SecurityEventsService } from './security-events.service.js';

const securityEvents = contract.securityEvents;

/** The signed-in user's audit log. */
@Controller()
export class SecurityEventsController {
  constructor(private readonly service: SecurityEventsService) {}

  @Handles(securityEvents.list)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Input() { query }: InputOf<typeof securityEvents.list>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SecurityEvent[]> {
    const { events, total } = await this.service.list(principal.userId, query);
    reply.header(TOTAL_COUNT_HEADER, String(total));
    return events;
  }
}
