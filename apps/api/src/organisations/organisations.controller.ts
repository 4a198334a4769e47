import { Controller, Res } from '@nestjs/common';
import {
  contract,
  type Member,
  type Organisation,
  type OrganisationEvent,
  TOTAL_COUNT_HEADER,
} from '@repo/contracts';
import { type FastifyReply } from 'fastify';
import {
  CurrentMembership,
  CurrentPrincipal,
  type Membership,
  type Principal,
} from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { OrganisationsService } from './organisations.service.js';

const organisations = contract.organisations;

@Controller()
export class OrganisationsController {
  constructor(private readonly service: OrganisationsService) {}

  @Handles(organisations.list)
  list(@CurrentPrincipal() principal: Principal): Promise<Organisation[]> {
    return this.service.list(principal.userId);
  }

  @Handles(organisations.create)
  create(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof organisations.create>,
  ): Promise<Organisation> {
    return this.service.create(principal.userId, body);
  }

  @Handles(organisations.get)
  get(@CurrentMembership() membership: Membership): Promise<Organisation> {
    return this.service.get(membership);
  }

  @Handles(organisations.update)
  update(
    @CurrentMembership() membership: Membership,
    @Input() { body }: InputOf<typeof organisations.update>,
  ): Promise<Organisation> {
    return this.service.update(membership, body);
  }

  @Handles(organisations.delete)
  remove(@CurrentMembership() membership: Membership): Promise<void> {
    return this.service.remove(membership);
  }

  @Handles(organisations.members)
  members(@CurrentMembership() membership: Membership): Promise<Member[]> {
    return this.service.members(membership);
  }

  @Handles(organisations.changeRole)
  changeRole(
    @CurrentMembership() membership: Membership,
    @Input() { params, body }: InputOf<typeof organisations.changeRole>,
  ): Promise<Member> {
    return this.service.changeRole(membership, params.userId, body.role);
  }

  @Handles(organisations.removeMember)
  removeMember(
    @CurrentMembership() membership: Membership,
    @Input() { params }: InputOf<typeof organisations.removeMember>,
  ): Promise<void> {
    return this.service.removeMember(membership, params.userId);
  }

  @Handles(organisations.leave)
  leave(@CurrentMembership() membership: Membership): Promise<void> {
    return this.service.leave(membership);
  }

  @Handles(organisations.events)
  async events(
    @CurrentMembership() membership: Membership,
    @Input() { query }: InputOf<typeof organisations.events>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrganisationEvent[]> {
    const { events, total } = await this.service.events(membership, query);
    reply.header(TOTAL_COUNT_HEADER, String(total));
    return events;
  }

  @Handles(organisations.transfer)
  transfer(
    @CurrentMembership() membership: Membership,
    @Input() { body }: InputOf<typeof organisations.transfer>,
  ): Promise<void> {
    return this.service.transfer(membership, body.userId);
  }
}
