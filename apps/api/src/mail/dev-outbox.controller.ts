import { Controller, Get, Query } from '@nestjs/common';
import { type OutboxMessage, outboxQuerySchema } from '@repo/contracts';
import { createZodDto } from 'nestjs-zod';
import { Public } from '../core/auth/access.decorators.js';
import { MailService } from './mail.service.js';

class OutboxQueryDto extends createZodDto(outboxQuerySchema) {}

/** The emails the API wrote, for developers and end-to-end tests. Never registered in production. */
@Public()
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(private readonly mail: MailService) {}

  @Get()
  list(@Query() query: OutboxQueryDto): Promise<OutboxMessage[]> {
    return this.mail.outbox(query.to);
  }
}
