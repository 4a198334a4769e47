import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ProblemError } from '../../src/core/problem/problem.error.js';
import { Public } from '../../src/core/auth/access.decorators.js';

class EchoDto extends createZodDto(
  z.object({ name: z.string().min(1), count: z.number().int().nonnegative() }).strict(),
) {}

/** Routes that drive the core (validation, errors) before real features exist to do it. */
@Public()
@Controller('fixtures')
class EchoController {
  @Post('echo')
  echo(@Body() body: EchoDto) {
    return body;
  }

  @Get('boom')
  boom(): never {
    throw new Error(
      'connect ECONNREFUSED 10.0.0.7:5432 while running SELECT password_hash FROM users',
    );
  }

  @Get('conflict')
  conflict(): never {
    throw new ProblemError('conflict', 'That name is taken.');
  }
}

@Module({ controllers: [EchoController] })
export class EchoFixtureModule {}
