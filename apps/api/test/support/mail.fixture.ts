import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Public } from '../../src/core/auth/access.decorators.js';
import { ProblemError } from '../../src/core/problem/problem.error.js';
import { MailService } from '../../src/mail/mail.service.js';

class MailDto extends createZodDto(
  z
    .object({ to: z.string(), subject: z.string(), text: z.string(), link: z.string().optional() })
    .strict(),
) {}

/** Routes that write emails the ways features do: on their own, or inside a transaction. */
@Public()
@Controller('fixtures/mail')
class MailFixtureController {
  constructor(
    private readonly mail: MailService,
    private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(204)
  async send(@Body() body: MailDto) {
    await this.mail.send(body);
  }

  /** In a transaction that does more work after writing the email, then commits. */
  @Post('committed')
  @HttpCode(204)
  async sendCommitted(@Body() body: MailDto) {
    await this.dataSource.transaction(async (manager) => {
      await this.mail.send(body, manager);
      await manager.query('SELECT pg_sleep(0.2)');
    });
  }

  /** In a transaction that fails after writing the email: both roll back. */
  @Post('rolled-back')
  async sendRolledBack(@Body() body: MailDto) {
    await this.dataSource.transaction(async (manager) => {
      await this.mail.send(body, manager);
      throw new ProblemError('conflict', 'The change failed after the email was written.');
    });
  }
}

@Module({ controllers: [MailFixtureController] })
export class MailFixtureModule {}
