import {
  contract,
  endpointsOf,
  type Invitation,
  type InvitationPreview,
  isOrgScoped,
  type Member,
  type Organisation,
  type OrganisationEvent,
} from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../support/jobs.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { invitationSubject, type TestUser, World } from '../support/world.js';

const { organisations, invitations } = contract;

describe('organisations', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, RATE_LIMIT_INVITES_PER_ORG: '4' } });
    w = new World(t);
  });
  afterAll(() => t?.close());

  const orgsOf = async (user: TestUser) =>
    (
      await w.expect('my organisations', organisations.list, 'success', { as: user })
    ).json() as Organisation[];
  const membersOf = async (user: TestUser, orgId: string) =>
    (
      await w.expect('members', organisations.members, 'success', {
        as: user,
        params: { orgId },
      })
    ).json() as Member[];
  const invite = (inviter: TestUser, orgId: string, email: string, role = 'member') =>
    w.send(invitations.create, { as: inviter, params: { orgId }, body: { email, role } });

  it('states a permission on every organisation-scoped endpoint of the contract', () => {
    const scoped = endpointsOf(contract).filter(isOrgScoped);
    expect(scoped.length).toBeGreaterThan(10);
    expect(scoped.filter((e) => !e.permission).map((e) => e.id)).toEqual([]);
  });

  it('lists a new account’s personal organisation, and one it creates, with its role', async () => {
    const alice = await w.user();
    const [personal] = await orgsOf(alice);
    expect(personal).toMatchObject({ role: 'owner' });
    const created = await w.organisation(alice);
    expect((await orgsOf(alice)).map((o) => o.id).sort()).toEqual(
      [personal!.id, created.id].sort(),
    );
  });

  it('invites by email: the invitee previews it signed out, then joins with the role given', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const grace = await w.user();
    const created = await invite(owner, org.id, grace.email, 'admin');
    expect(created.status).toBe(201);
    const invitation = created.json() as Invitation;
    const token = await w.mailedToken(grace.email, invitationSubject(org));
    expect(token.startsWith(`${org.id}.`)).toBe(true);

    const preview = (
      await w.expect('preview', invitations.preview, 'success', { body: { token } })
    ).json() as InvitationPreview;
    expect(preview).toMatchObject({ organisation: org.name, email: grace.email, role: 'admin' });
    const pending = await w.expect('pending', invitations.list, 'success', {
      as: owner,
      params: { orgId: org.id },
    });
    expect((pending.json() as Invitation[]).map((i) => i.id)).toEqual([invitation.id]);

    await w.expect('accept', invitations.accept, 'success', { as: grace, body: { token } });
    expect((await membersOf(owner, org.id)).map((m) => [m.email, m.role]).sort()).toEqual(
      [
        [owner.email, 'owner'],
        [grace.email, 'admin'],
      ].sort(),
    );
    // Used once: its second use, and the list of pending ones, say so.
    await w.expect('accept again', invitations.accept, [409, 'invitation_used'], {
      as: grace,
      body: { token },
    });
    const after = await w.expect('pending after', invitations.list, 'success', {
      as: owner,
      params: { orgId: org.id },
    });
    expect(after.json()).toEqual([]);
  });

  it('refuses, each with its own code: the wrong account, an expired link, a role above the inviter’s', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const admin = await w.member(owner, org, 'admin');
    const grace = await w.user();
    await invite(admin, org.id, grace.email);
    const token = await w.mailedToken(grace.email, invitationSubject(org));

    await w.expect(
      'accept as someone else',
      invitations.accept,
      [403, 'invitation_wrong_account'],
      {
        as: await w.user(),
        body: { token },
      },
    );
    const above = await invite(admin, org.id, 'boss@example.test', 'owner');
    expect([above.status, (above.json() as { code: string }).code]).toEqual([
      403,
      'role_not_grantable',
    ]);

    await sql(
      t,
      `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = $1`,
      [grace.email],
    );
    await w.expect('accept when expired', invitations.accept, [410, 'invitation_expired'], {
      as: grace,
      body: { token },
    });
    // Its expiry job deletes it: the link is then unknown.
    const [row] = await sql<{ id: string }>(t, 'SELECT id FROM invitations WHERE email = $1', [
      grace.email,
    ]);
    await runJob(t, 'invitations.expire', { orgId: org.id, invitationId: row!.id });
    await w.expect('accept once pruned', invitations.accept, [400, 'link_invalid'], {
      as: grace,
      body: { token },
    });
  });

  it('limits the invitations an organisation mails an hour, resent ones included', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const first = (await invite(owner, org.id, 'a@example.test')).json() as Invitation;
    for (const email of ['b@example.test', 'c@example.test']) {
      expect((await invite(owner, org.id, email)).status).toBe(201);
    }
    await w.expect('resend', invitations.resend, 'success', {
      as: owner,
      params: { orgId: org.id, invitationId: first.id },
    });
    const over = await invite(owner, org.id, 'd@example.test');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another organisation has a count of its own.
    const other = await w.organisation(owner);
    expect((await invite(owner, other.id, 'd@example.test')).status).toBe(201);
  });

  it('records each change in the activity log, in its transaction, for admins and owners to read', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const grace = await w.member(owner, org, 'member');
    await w.expect('promote', organisations.changeRole, 'success', {
      as: owner,
      params: { orgId: org.id, userId: grace.id },
      body: { role: 'admin' },
    });
    await w.expect('rename', organisations.update, 'success', {
      as: grace,
      params: { orgId: org.id },
      body: { name: 'Renamed' },
    });
    const reply = await w.expect('the log', organisations.events, 'success', {
      as: grace,
      params: { orgId: org.id },
      query: { pageSize: 3 },
    });
    expect(reply.headers.get('x-total-count')).toBe('5');
    const events = reply.json() as OrganisationEvent[];
    expect(events.map((e) => [e.type, e.actor?.id])).toEqual([
      ['organisation_updated', grace.id],
      ['role_changed', owner.id],
      ['member_joined', grace.id],
    ]);
    expect(events[1]!.details).toEqual({ userId: grace.id, from: 'member', to: 'admin' });
    // A refused change records nothing.
    await w.expect('demote the owner', organisations.changeRole, [403, 'role_not_grantable'], {
      as: grace,
      params: { orgId: org.id, userId: owner.id },
      body: { role: 'member' },
    });
    const after = await w.expect('the log after', organisations.events, 'success', {
      as: owner,
      params: { orgId: org.id },
    });
    expect(after.headers.get('x-total-count')).toBe('5');
  });

  it('hands ownership over: the new owner may then demote the old one, who may not demote back', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const heir = await w.member(owner, org, 'member');
    await w.expect('transfer', organisations.transfer, 'success', {
      as: owner,
      params: { orgId: org.id },
      body: { userId: heir.id },
    });
    const roles = Object.fromEntries(
      (await membersOf(heir, org.id)).map((m) => [m.userId, m.role]),
    );
    expect(roles).toEqual({ [owner.id]: 'admin', [heir.id]: 'owner' });
    await w.expect('demote the owner', organisations.changeRole, [403, 'role_not_grantable'], {
      as: owner,
      params: { orgId: org.id, userId: heir.id },
      body: { role: 'member' },
    });
    // The guard reads the new role at once: the old owner may no longer hand it over.
    await w.expect('transfer back', organisations.transfer, [403, 'forbidden'], {
      as: owner,
      params: { orgId: org.id },
      body: { userId: owner.id },
    });
  });

  it('takes a removed member’s access at once; deleting the account of a sole owner with members is refused', async () => {
    const owner = await w.user();
    const org = await w.organisation(owner);
    const member = await w.member(owner, org);
    expect(await membersOf(member, org.id)).toHaveLength(2);
    await w.expect('remove', organisations.removeMember, 'success', {
      as: owner,
      params: { orgId: org.id, userId: member.id },
    });
    await w.expect('read after removal', organisations.members, [404, 'not_found'], {
      as: member,
      params: { orgId: org.id },
    });

    const stays = await w.member(owner, org);
    await w.expect('delete the owner’s account', contract.account.delete, [409, 'last_owner'], {
      as: owner,
    });
    expect(await membersOf(stays, org.id)).toHaveLength(2);
  });
});
