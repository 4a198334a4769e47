import { Controller, Module } from '@nestjs/common';
import { defineContract } from '@repo/contracts';
import { z } from 'zod';
import { Handles } from '../../src/core/http/handles.js';
import { Input, type InputOf } from '../../src/core/http/input.js';
import { ProblemError } from '../../src/core/problem/problem.error.js';

const echoSchema = z
  .object({ name: z.string().min(1), count: z.number().int().nonnegative() })
  .strict()
  .meta({ id: 'EchoFixture' });

/** Routes that drive the core (validation, errors) apart from any feature. */
export const echoFixtureContract = defineContract({
  fixtures: {
    echo: {
      method: 'POST',
      path: '/fixtures/echo',
      summary: 'Answers its body',
      access: 'public',
      body: echoSchema,
      status: 201,
      response: echoSchema,
    },
    boom: { method: 'GET', path: '/fixtures/boom', summary: 'Fails', access: 'public' },
    conflict: { method: 'GET', path: '/fixtures/conflict', summary: '409', access: 'public' },
  },
});
const fixtures = echoFixtureContract.fixtures;

@Controller()
class EchoController {
  @Handles(fixtures.echo)
  echo(@Input() { body }: InputOf<typeof fixtures.echo>) {
    return body;
  }

  @Handles(fixtures.boom)
  boom(): never {
    throw new Error(
      'connect ECONNREFUSED 10.0.0.7:5432 while running SELECT password_hash FROM users',
    );
  }

  @Handles(fixtures.conflict)
  conflict(): never {
    throw new ProblemError('conflict', 'That name is taken.');
  }
}

@Module({ controllers: [EchoController] })
export class EchoFixtureModule {}
