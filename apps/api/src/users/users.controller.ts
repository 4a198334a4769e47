import { Controller } from '@nestjs/common';
import { contract, type User } from '@repo/contracts';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { UsersService } from './users.service.js';

const users = contract.users;

@Controller()
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Handles(users.me)
  me(@CurrentPrincipal() principal: Principal): Promise<User> {
    return this.service.me(principal.userId);
  }

  @Handles(users.updateMe)
  update(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof users.updateMe>,
  ): Promise<User> {
    return this.service.update(principal.userId, body);
  }
}
