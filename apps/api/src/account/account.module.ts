import { Module } from '@nestjs/common';
import { OrganisationsModule } from '../organisations/organisations.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountDeletionService } from './account-deletion.service.js';
import { AccountExportService } from './account-export.service.js';
import { AccountController } from './account.controller.js';
import { EmailChangeController } from './email-change.controller.js';
import { EmailChangeService } from './email-change.service.js';
import { AccountJobs } from './account.jobs.js';

/** The account's lifecycle: changing its address, exporting its data, deleting it. */
@Module({
  imports: [UsersModule, SessionsModule, OrganisationsModule],
  controllers: [EmailChangeController, AccountController],
  providers: [AccountJobs, EmailChangeService, AccountExportService, AccountDeletionService],
})
export class AccountModule {}
