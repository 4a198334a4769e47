import { contract, type Invitation } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { invitationSubject, type TestUser, type World } from '../../test/support/world.js';

const { invitations } = contract;

/**
 * An owner, a new organisation of theirs, and an invitation to a new user, not accepted yet (the
 * same owner each case; the invitee is new, as accepting uses the invitation up).
 */
async function invited(w: World, role: 'admin' | 'member' = 'member') {
  const owner = await w.person('owner');
  const org = await w.organisation(owner);
  const invitee = await w.person('invitee');
  const reply = await w.expect('invite', invitations.create, 'success', {
    as: owner,
    params: { orgId: org.id },
    body: { email: invitee.email, role },
  });
  const token = await w.mailedToken(invitee.email, invitationSubject(org));
  return { owner, org, invitee, token, invitation: reply.json() as Invitation };
}

export const scenarios = defineScenarios(invitations, {
  list: [
    succeeds('list the pending invitations', async (w) => {
      const { owner, org } = await invited(w);
      return { as: owner, params: { orgId: org.id } };
    }),
    refused('list the invitations as a member', [403, 'forbidden'], async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id } };
    }),
  ],
  create: [
    succeeds('invite someone', async (w) => {
      const owner = await w.person('owner');
      const org = await w.organisation(owner);
      return { as: owner, params: { orgId: org.id }, body: { email: 'grace@example.test' } };
    }),
    refused('an admin invites an owner', [403, 'role_not_grantable'], async (w) => {
      const { org, member: admin } = await w.organisationWithMember('admin');
      return {
        as: admin,
        params: { orgId: org.id },
        body: { email: 'grace@example.test', role: 'owner' },
      };
    }),
    refused('invite a member', [409, 'already_member'], async (w) => {
      const owner = await w.person('owner');
      const org = await w.organisation(owner);
      return { as: owner, params: { orgId: org.id }, body: { email: owner.email } };
    }),
    refused('a member invites', [403, 'forbidden'], async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id }, body: { email: 'grace@example.test' } };
    }),
  ],
  resend: [
    succeeds('resend an invitation', async (w) => {
      const { owner, org, invitation } = await invited(w);
      return { as: owner, params: { orgId: org.id, invitationId: invitation.id } };
    }),
    refused('resend a withdrawn invitation', [404, 'not_found'], async (w) => {
      const { owner, org } = await invited(w);
      return { as: owner, params: { orgId: org.id, invitationId: crypto.randomUUID() } };
    }),
  ],
  revoke: [
    refused('withdraw an invitation as a member', [403, 'forbidden'], async (w) => {
      const { owner, org, invitation } = await invited(w);
      return {
        as: await w.member(owner, org, 'member', await w.person('member')),
        params: { orgId: org.id, invitationId: invitation.id },
      };
    }),
    succeeds(
      'withdraw an invitation',
      async (w) => {
        const { owner, org, invitation, token, invitee } = await invited(w);
        return {
          as: owner,
          params: { orgId: org.id, invitationId: invitation.id },
          context: { token, invitee },
        };
      },
      async (w, _reply, request) => {
        const { token, invitee } = request.context as { token: string; invitee: TestUser };
        await w.expect('accept it after', invitations.accept, [400, 'link_invalid'], {
          as: invitee,
          body: { token },
        });
      },
    ),
  ],
  preview: [
    succeeds('see what an invitation is for', async (w) => {
      const { token } = await invited(w);
      return { body: { token } };
    }),
    refused('see an unknown invitation', [400, 'link_invalid'], () => ({
      body: { token: `${crypto.randomUUID()}.not-a-real-token-at-all` },
    })),
  ],
  accept: [
    succeeds(
      'accept an invitation',
      async (w) => {
        const { invitee, token } = await invited(w);
        return { as: invitee, body: { token } };
      },
      async (w, _reply, request) => {
        await w.expect('accept it again', invitations.accept, [409, 'invitation_used'], request);
      },
    ),
    refused('accept as another account', [403, 'invitation_wrong_account'], async (w) => {
      const { token } = await invited(w);
      return { as: await w.person('outsider'), body: { token } };
    }),
    refused('accept without a token', [401, 'unauthorized'], async (w) => {
      const { token } = await invited(w);
      return { body: { token } };
    }),
  ],
});
