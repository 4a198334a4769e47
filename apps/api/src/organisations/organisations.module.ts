import { Module } from '@nestjs/common';
import { OrganisationsService } from './organisations.service.js';

/** Organisations, their members and their roles (docs/organisations.md). */
@Module({
  providers: [OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
