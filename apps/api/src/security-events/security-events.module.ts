import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecurityEventEntity } from './security-event.entity.js';
import { SecurityEventsController } from './security-events.controller.js';
import { SecurityEventsJobs } from './security-events.jobs.js';
import { SecurityEventsService } from './security-events.service.js';

/**
 * Global: the services that change an account's security (auth, sessions, MFA, passkeys,
 * providers, API keys) record their events here, without importing this module each.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([SecurityEventEntity])],
  controllers: [SecurityEventsController],
  providers: [SecurityEventsService, SecurityEventsJobs],
  exports: [SecurityEventsService],
})
export class SecurityEventsModule {}
