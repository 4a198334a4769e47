import { randomUUID } from 'node:crypto';
import { contract, type Organisation } from '@repo/contracts';
import { expect } from 'vitest';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { type World } from '../../test/support/world.js';

const organisations = contract.organisations;

/** An owner and a new organisation of theirs (the same people, a fresh organisation each case). */
async function owned(w: World) {
  const owner = await w.person('owner');
  return { owner, org: await w.organisation(owner) };
}

const slug = () => `org-${randomUUID().slice(0, 8)}`;

export const scenarios = defineScenarios(organisations, {
  list: [
    succeeds('list my organisations', async (w) => ({ as: await w.person('owner') })),
    refused('list organisations without a token', [401, 'unauthorized'], () => ({})),
  ],
  create: [
    succeeds('create an organisation', async (w) => ({
      as: await w.person('owner'),
      body: { name: 'Acme', slug: slug() },
    })),
    refused('create an organisation with a taken slug', [409, 'slug_taken'], async (w) => {
      const { owner, org } = await owned(w);
      return { as: owner, body: { name: 'Again', slug: org.slug } };
    }),
    refused('create an organisation, bad slug', [400, 'validation_failed'], async (w) => ({
      as: await w.person('owner'),
      body: { name: 'Acme', slug: 'Not A Slug' },
    })),
  ],
  get: [
    succeeds('get my organisation', async (w) => {
      const { owner, org } = await owned(w);
      return { as: owner, params: { orgId: org.id } };
    }),
    refused('get an organisation I am not in', [404, 'not_found'], async (w) => {
      const { org } = await owned(w);
      return { as: await w.person('outsider'), params: { orgId: org.id } };
    }),
    refused('get an organisation, non-UUID id', [400, 'validation_failed'], async (w) => ({
      as: await w.person('owner'),
      params: { orgId: 'acme' },
    })),
  ],
  update: [
    succeeds(
      'rename my organisation',
      async (w) => {
        const { owner, org } = await owned(w);
        return { as: owner, params: { orgId: org.id }, body: { name: 'Renamed' } };
      },
      async (w, _reply, { as, params }) => {
        const reply = await w.expect('read it back', organisations.get, 'success', { as, params });
        expect((reply.json() as Organisation).name).toBe('Renamed');
      },
    ),
    refused('rename as a member', [403, 'forbidden'], async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id }, body: { name: 'Mine' } };
    }),
  ],
  delete: [
    succeeds(
      'delete my organisation',
      async (w) => {
        const { owner, org } = await owned(w);
        return { as: owner, params: { orgId: org.id } };
      },
      async (w, _reply, request) => {
        await w.expect('get it after', organisations.get, [404, 'not_found'], request);
      },
    ),
    refused('delete as an admin', [403, 'forbidden'], async (w) => {
      const { org, member } = await w.organisationWithMember('admin');
      return { as: member, params: { orgId: org.id } };
    }),
  ],
  members: [
    succeeds('list the members', async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id } };
    }),
    refused('list the members of an organisation I am not in', [404, 'not_found'], async (w) => {
      const { org } = await owned(w);
      return { as: await w.person('outsider'), params: { orgId: org.id } };
    }),
  ],
  changeRole: [
    succeeds('make a member an admin', async (w) => {
      const { owner, org, member } = await w.organisationWithMember();
      return {
        as: owner,
        params: { orgId: org.id, userId: member.id },
        body: { role: 'admin' },
      };
    }),
    refused('an admin makes an owner', [403, 'role_not_grantable'], async (w) => {
      const { org, member } = await w.organisationWithMember('admin');
      return { as: member, params: { orgId: org.id, userId: member.id }, body: { role: 'owner' } };
    }),
    refused('the last owner steps down', [409, 'last_owner'], async (w) => {
      const { owner, org } = await owned(w);
      return { as: owner, params: { orgId: org.id, userId: owner.id }, body: { role: 'admin' } };
    }),
    refused('a member changes a role', [403, 'forbidden'], async (w) => {
      const { owner, org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id, userId: owner.id }, body: { role: 'member' } };
    }),
  ],
  removeMember: [
    succeeds('remove a member', async (w) => {
      const { owner, org, member } = await w.organisationWithMember();
      return { as: owner, params: { orgId: org.id, userId: member.id } };
    }),
    refused('an admin removes the owner', [403, 'role_not_grantable'], async (w) => {
      const { owner, org, member } = await w.organisationWithMember('admin');
      return { as: member, params: { orgId: org.id, userId: owner.id } };
    }),
    refused('remove someone who is not a member', [404, 'not_found'], async (w) => {
      const { owner, org } = await owned(w);
      return { as: owner, params: { orgId: org.id, userId: randomUUID() } };
    }),
  ],
  leave: [
    succeeds('leave an organisation', async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id } };
    }),
    refused('the last owner leaves', [409, 'last_owner'], async (w) => {
      const { owner, org } = await w.organisationWithMember();
      return { as: owner, params: { orgId: org.id } };
    }),
  ],
  events: [
    succeeds('read the activity log', async (w) => {
      const { owner, org } = await w.organisationWithMember();
      return { as: owner, params: { orgId: org.id }, query: { page: 1, pageSize: 10 } };
    }),
    refused('read the activity log as a member', [403, 'forbidden'], async (w) => {
      const { org, member } = await w.organisationWithMember();
      return { as: member, params: { orgId: org.id } };
    }),
  ],
  transfer: [
    succeeds('hand the organisation over', async (w) => {
      const { owner, org, member } = await w.organisationWithMember('admin');
      return { as: owner, params: { orgId: org.id }, body: { userId: member.id } };
    }),
    refused('hand over as an admin', [403, 'forbidden'], async (w) => {
      const { owner, org, member } = await w.organisationWithMember('admin');
      return { as: member, params: { orgId: org.id }, body: { userId: owner.id } };
    }),
  ],
});
