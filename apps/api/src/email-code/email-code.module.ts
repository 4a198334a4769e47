import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuthModule } from '../identity/identity.module.js';
import { EmailCodeController } from './email-code.controller.js';
import { EmailCodeEntity } from './email-code.entity.js';
import { EmailCodeService } from './email-code.service.js';
import { SetPasswordService } from './set-password.service.js';

/** Sign-in and sign-up with a mailed one-time code, and a first password for such accounts. */
@Module({
  imports: [TypeOrmModule.forFeature([EmailCodeEntity]), AuthModule, UsersModule],
  controllers: [EmailCodeController],
  providers: [EmailCodeService, SetPasswordService],
  exports: [EmailCodeService],
})
export class EmailCodeModule {}
