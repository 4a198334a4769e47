import { Controller } from '@nestjs/common';
import { contract, type OutboxMessage } from '@repo/contracts';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { MailService } from './mail.service.js';

const dev = contract.dev;

/** The emails the API wrote, for developers and end-to-end tests. Never registered in production. */
@Controller()
export class DevOutboxController {
  constructor(private readonly mail: MailService) {}

  @Handles(dev.outbox)
  list(@Input() { query }: InputOf<typeof dev.outbox>): Promise<OutboxMessage[]> {
    return this.mail.outbox(query.to);
  }
}
