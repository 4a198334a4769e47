import {
  can,
  contract,
  type Endpoint,
  endpointsOf,
  isOrgScoped,
  type Invitation,
  type OrgRole,
  type Organisation,
} from '@repo/contracts';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type TestUser, World } from '../support/world.js';

/**
 * Every organisation-scoped endpoint of the contract, generated from it, × every kind of caller:
 * the answer the permission table predicts, and no row of another organisation read or changed.
 * - A member whose role has the permission gets past the guard (any answer but its refusals).
 * - A member whose role lacks it: 403 `forbidden`.
 * - A member of another organisation, and a signed-in non-member: 404 `not_found`.
 * The request of each case is the endpoint's own: its path parameters name the organisation, a
 * member of it and one of its invitations; its body is the contract's example.
 */
const ROLES: readonly OrgRole[] = ['member', 'admin', 'owner'];

interface Org {
  org: Organisation;
  /** The caller of each role, the owner included. */
  callers: Record<OrgRole, TestUser>;
  /** A member the requests act on (a role to change, a member to remove). */
  target: TestUser;
  invitation: Invitation;
}

const scoped = endpointsOf(contract).filter(isOrgScoped);

describe('the permission matrix', () => {
  let t: TestApp;
  let w: World;
  /** Who is not in the organisations under test, and the organisation they are in. */
  let outsider: TestUser;
  let bystander: TestUser;
  let elsewhere: Organisation;
  let cases = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, RATE_LIMIT_INVITES_PER_ORG: '100000' } });
    w = new World(t);
    const [owner, admin, member, target] = await Promise.all([0, 1, 2, 3].map(() => w.user()));
    people = { owner: owner!, admin: admin!, member: member!, target: target! };
    outsider = await w.user();
    bystander = await w.user();
    elsewhere = await w.organisation(bystander);
    await w.member(bystander, elsewhere, 'admin');
    await w.send(contract.invitations.create, {
      as: bystander,
      params: { orgId: elsewhere.id },
      body: { email: 'someone@example.test' },
    });
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console -- the size of the matrix, for the record
    console.log(`permission matrix: ${scoped.length} endpoints, ${cases} cases`);
    await t?.close();
  });

  /** The same people in every organisation of the matrix: only the organisation is new. */
  let people: { owner: TestUser; admin: TestUser; member: TestUser; target: TestUser };

  /** A fresh organisation with a caller of each role, a target member and a pending invitation. */
  async function organisation(): Promise<Org> {
    const { owner, admin, member, target } = people;
    const org = await w.organisation(owner);
    await w.member(owner, org, 'admin', admin);
    await w.member(owner, org, 'member', member);
    await w.member(owner, org, 'member', target);
    const reply = await w.send(contract.invitations.create, {
      as: owner,
      params: { orgId: org.id },
      body: { email: `invited-${org.slug}@example.test` },
    });
    expect(reply.status).toBe(201);
    return {
      org,
      callers: { owner, admin, member },
      target,
      invitation: reply.json() as Invitation,
    };
  }

  const request = (e: Endpoint, { org, target, invitation }: Org) => {
    const examples = e.body && (z.globalRegistry.get(e.body)?.examples as object[] | undefined);
    const example = examples ? examples[0] : undefined;
    return {
      params: { orgId: org.id, userId: target.id, invitationId: invitation.id },
      ...(example
        ? { body: 'userId' in example ? { ...example, userId: target.id } : example }
        : {}),
    };
  };

  /** The other organisation's rows, as the database has them. */
  const elsewhereRows = () =>
    sql(
      t,
      `SELECT (SELECT json_agg(o ORDER BY o.id) FROM organisations o WHERE o.id = $1) AS org,
              (SELECT json_agg(m ORDER BY m.user_id) FROM memberships m WHERE m.org_id = $1) AS members,
              (SELECT json_agg(i ORDER BY i.id) FROM invitations i WHERE i.org_id = $1) AS invitations`,
      [elsewhere.id],
    );

  async function expectAnswer(
    e: Endpoint,
    caller: TestUser,
    org: Org,
    expected: 'allowed' | 'forbidden' | 'not_found',
  ) {
    cases += 1;
    const before = await elsewhereRows();
    const reply = await w.send(e, { as: caller, ...request(e, org) });
    const body = reply.text ? (JSON.parse(reply.text) as { code?: string; detail?: string }) : {};
    if (expected === 'allowed') {
      expect(reply.status < 300 || body.code !== 'forbidden', reply.text).toBe(true);
      expect(body.detail ?? '', reply.text).not.toBe('No such organisation of yours.');
    } else {
      expect({ status: reply.status, code: body.code }).toEqual(
        expected === 'forbidden'
          ? { status: 403, code: 'forbidden' }
          : { status: 404, code: 'not_found' },
      );
    }
    expect(await elsewhereRows()).toEqual(before);
    for (const secret of [elsewhere.id, elsewhere.slug, bystander.email]) {
      expect(reply.text).not.toContain(secret);
    }
  }

  it('covers the contract', () => {
    expect(scoped.length).toBeGreaterThan(10);
    for (const e of scoped) expect(e.permission, e.id).toBeDefined();
  });

  for (const e of scoped) {
    it(`${e.id} (${e.permission}): as each role, a member elsewhere and a non-member`, async () => {
      // The refusals first, on one organisation: they change nothing.
      const shared = await organisation();
      await expectAnswer(e, bystander, shared, 'not_found');
      await expectAnswer(e, outsider, shared, 'not_found');
      for (const role of ROLES) {
        if (!can(role, e.permission!)) {
          await expectAnswer(e, shared.callers[role], shared, 'forbidden');
        }
      }
      // Each allowed role on an organisation of its own: an allowed change may end the state
      // the next one needs (a member removed, the organisation deleted).
      for (const role of ROLES) {
        if (can(role, e.permission!)) {
          const own = role === 'member' ? shared : await organisation();
          await expectAnswer(e, own.callers[role], own, 'allowed');
        }
      }
    });
  }
});
