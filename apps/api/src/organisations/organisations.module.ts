import { Module } from '@nestjs/common';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';
import { OrganisationsJobs } from './organisations.jobs.js';
import { OrganisationsController } from './organisations.controller.js';
import { OrganisationsService } from './organisations.service.js';

/** Organisations, their members, their roles and invitations (docs/organisations.md). */
@Module({
  controllers: [OrganisationsController, InvitationsController],
  providers: [OrganisationsService, InvitationsService, OrganisationsJobs],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
