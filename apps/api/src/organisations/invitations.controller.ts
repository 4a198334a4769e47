import { Controller } from '@nestjs/common';
import {
  contract,
  type Invitation,
  type InvitationPreview,
  type Organisation,
} from '@repo/contracts';
import {
  CurrentMembership,
  CurrentPrincipal,
  type Membership,
  type Principal,
} from '../access/principal.js';
import { Handles } from '../core/http/handles.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { Input, type InputOf } from '../core/http/input.js';
import { InvitationsService } from './invitations.service.js';

const invitations = contract.invitations;

@Controller()
export class InvitationsController {
  constructor(private readonly service: InvitationsService) {}

  @Handles(invitations.list)
  list(@CurrentMembership() membership: Membership): Promise<Invitation[]> {
    return this.service.list(membership);
  }

  @Handles(invitations.create)
  @RateLimit('invite')
  create(
    @CurrentMembership() membership: Membership,
    @Input() { body }: InputOf<typeof invitations.create>,
  ): Promise<Invitation> {
    return this.service.create(membership, body);
  }

  @Handles(invitations.resend)
  @RateLimit('invite')
  resend(
    @CurrentMembership() membership: Membership,
    @Input() { params }: InputOf<typeof invitations.resend>,
  ): Promise<Invitation> {
    return this.service.resend(membership, params.invitationId);
  }

  @Handles(invitations.revoke)
  revoke(
    @CurrentMembership() membership: Membership,
    @Input() { params }: InputOf<typeof invitations.revoke>,
  ): Promise<void> {
    return this.service.revoke(membership, params.invitationId);
  }

  @Handles(invitations.preview)
  preview(@Input() { body }: InputOf<typeof invitations.preview>): Promise<InvitationPreview> {
    return this.service.preview(body.token);
  }

  @Handles(invitations.accept)
  accept(
    @CurrentPrincipal() principal: Principal,
    @Input() { body }: InputOf<typeof invitations.accept>,
  ): Promise<Organisation> {
    return this.service.accept(principal.userId, body.token);
  }
}
