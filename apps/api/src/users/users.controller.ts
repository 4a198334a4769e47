import { Body, Controller, Get, Patch } from '@nestjs/common';
import { type User } from '@repo/contracts';
import { AllowApiKey, CurrentPrincipal } from '../core/auth/access.decorators.js';
import { type Principal } from '../core/auth/principal.js';
import { UpdateMeDto } from './users.dto.js';
import { UsersService } from './users.service.js';

@Controller('users')
@AllowApiKey()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Promise<User> {
    return this.users.me(principal.userId);
  }

  @Patch('me')
  update(@CurrentPrincipal() principal: Principal, @Body() body: UpdateMeDto): Promise<User> {
    return this.users.update(principal.userId, body);
  }
}
