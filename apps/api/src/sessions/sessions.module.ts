import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { SessionEntity } from './session.entity.js';
import { SessionTokensService } from './session-tokens.service.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';
import { TokenDelivery } from './token-delivery.js';
import { UsedRefreshTokenEntity } from './used-refresh-token.entity.js';
import { SessionsJobs } from './sessions.jobs.js';

/** Sessions: their tokens (access and refresh), refresh, logout, and the list of one's sessions. */
@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity, UsedRefreshTokenEntity]), UsersModule],
  controllers: [SessionsController],
  providers: [SessionsJobs, SessionsService, SessionTokensService, TokenDelivery],
  exports: [SessionsService, SessionTokensService, TokenDelivery],
})
export class SessionsModule {}
