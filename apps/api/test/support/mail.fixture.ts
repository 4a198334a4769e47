import { Controller, Module } from '@nestjs/common';
import { defineContract } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Handles } from '../../src/core/http/handles.js';
import { Input, type InputOf } from '../../src/core/http/input.js';
import { ProblemError } from '../../src/core/problem/problem.error.js';
import { MailService } from '../../src/mail/mail.service.js';

const mailSchema = z
  .object({ to: z.string(), subject: z.string(), text: z.string(), link: z.string().optional() })
  .strict()
  .meta({ id: 'MailFixture' });
const send = (path: string, summary: string) =>
  ({ method: 'POST', path, summary, access: 'public', body: mailSchema, status: 204 }) as const;

/** Routes that write emails the ways features do: on their own, or inside a transaction. */
export const mailFixtureContract = defineContract({
  mailFixture: {
    send: send('/fixtures/mail', 'Write an email'),
    committed: send('/fixtures/mail/committed', 'Write an email in a transaction that commits'),
    rolledBack: send('/fixtures/mail/rolled-back', 'Write an email, then fail the transaction'),
  },
});
const endpoints = mailFixtureContract.mailFixture;

@Controller()
class MailFixtureController {
  constructor(
    private readonly mail: MailService,
    private readonly dataSource: DataSource,
  ) {}

  @Handles(endpoints.send)
  async send(@Input() { body }: InputOf<typeof endpoints.send>) {
    await this.mail.send(body);
  }

  /** In a transaction that does more work after writing the email, then commits. */
  @Handles(endpoints.committed)
  async sendCommitted(@Input() { body }: InputOf<typeof endpoints.committed>) {
    await this.dataSource.transaction(async (manager) => {
      await this.mail.send(body, manager);
      await manager.query('SELECT pg_sleep(0.2)');
    });
  }

  /** In a transaction that fails after writing the email: both roll back. */
  @Handles(endpoints.rolledBack)
  async sendRolledBack(@Input() { body }: InputOf<typeof endpoints.rolledBack>) {
    await this.dataSource.transaction(async (manager) => {
      await this.mail.send(body, manager);
      throw new ProblemError('conflict', 'The change failed after the email was written.');
    });
  }
}

@Module({ controllers: [MailFixtureController] })
export class MailFixtureModule {}
