import { contract, type SecurityEvent, type User, WS_CLOSE } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { closedWithin, socketPool } from '../support/realtime-helpers.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';
import {
  CHANGED_SUBJECT,
  confirmedChange,
  CONFIRM_SUBJECT,
  fragmentToken,
  newAddress,
  requestedChange,
} from './account-world.js';

const { account, users, auth, securityEvents } = contract;

describe('changing the email address', () => {
  let t: TestApp;
  let w: World;
  const sockets = socketPool();
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(() => t.close());

  const me = async (as: { accessToken: string }) =>
    (await w.expect('me', users.me, 'success', { as })).json() as User;
  const eventTypes = async (as: { accessToken: string }) =>
    (
      (
        await w.expect('events', securityEvents.list, 'success', { as, query: { pageSize: 50 } })
      ).json() as SecurityEvent[]
    ).map((e) => e.type);

  it('mails a link to the new address; the link switches to it, confirmed, and the old address gets an undo link', async () => {
    const { user, newEmail, token } = await requestedChange(w);
    // Nothing changes before the link is opened.
    expect((await me(user)).email).toBe(user.email);
    const confirm = await w.mailed(newEmail, CONFIRM_SUBJECT);
    expect(confirm.link).toMatch(/\/confirm-email-change#token=/);
    expect(confirm.html).toContain('Use this address');
    // Stored hashed: the token is nowhere in the database.
    expect(
      await sql(t, `SELECT 1 FROM email_changes c WHERE c::text LIKE '%' || $1 || '%'`, [token]),
    ).toEqual([]);

    const socket = await sockets.authed(t, user.accessToken);
    const reply = await w.expect('confirm', account.confirmEmailChange, 'success', {
      body: { token },
    });
    expect(reply.json()).toMatchObject({ email: newEmail, emailVerified: true });
    expect(await me(user)).toMatchObject({ email: newEmail, emailVerified: true });
    // The user's tabs hear of it.
    expect(await socket.next('event', (m) => m.event === 'user.updated')).toMatchObject({
      data: { user: { email: newEmail } },
    });

    const notice = await w.mailed(user.email, CHANGED_SUBJECT);
    expect(notice.text).toContain(newEmail);
    expect(notice.text).toContain('/forgot-password');
    expect(notice.link).toMatch(/\/undo-email-change#token=/);
    expect(await eventTypes(user)).toEqual(
      expect.arrayContaining(['email_change_requested', 'email_changed']),
    );

    // The new address signs in; the old one no longer does.
    await w.login({ email: newEmail, password: user.password });
    await w.expect('old address', auth.login, [401, 'invalid_credentials'], {
      body: { email: user.email, password: user.password },
    });
    // The link works once.
    await w.expect('confirm again', account.confirmEmailChange, [400, 'link_invalid'], {
      body: { token },
    });
  });

  it('undo puts the old address back and ends every session, sockets included', async () => {
    const { user, newEmail, undoToken } = await confirmedChange(w);
    const other = await w.login({ email: newEmail, password: user.password });
    const socket = await sockets.authed(t, other.accessToken);

    await w.expect('undo', account.undoEmailChange, 'success', { body: { token: undoToken } });

    expect((await closedWithin(socket)).code).toBe(WS_CLOSE.unauthenticated);
    for (const session of [user, other]) {
      await w.expect('me after undo', users.me, [401, 'token_invalid'], { as: session });
    }
    const back = await w.login(user);
    expect(await me(back)).toMatchObject({ email: user.email, emailVerified: true });
    expect(await eventTypes(back)).toContain('email_change_undone');
    await w.expect('undo twice', account.undoEmailChange, [400, 'link_invalid'], {
      body: { token: undoToken },
    });
  });

  it('answers alike for a taken address, and mails it nothing', async () => {
    const user = await w.user();
    const owner = await w.user();
    await w.expect('request a taken address', account.requestEmailChange, 'success', {
      as: user,
      body: { email: owner.email },
    });
    expect(await sql(t, 'SELECT 1 FROM email_changes WHERE user_id = $1', [user.id])).toEqual([]);
    expect(await me(user)).toMatchObject({ email: user.email });
  });

  it('a newer request voids the older link', async () => {
    const first = await requestedChange(w);
    const second = await requestedChange(w, first.user);
    await w.expect('older link', account.confirmEmailChange, [400, 'link_invalid'], {
      body: { token: first.token },
    });
    await w.expect('newer link', account.confirmEmailChange, 'success', {
      body: { token: second.token },
    });
  });

  it('of two accounts confirming the same address at once, exactly one gets it; the other gets 409', async () => {
    const target = newAddress();
    const tokens: string[] = [];
    for (const user of [await w.user(), await w.user()]) {
      await w.expect('request', account.requestEmailChange, 'success', {
        as: user,
        body: { email: target },
      });
      tokens.push(
        fragmentToken((await w.mailed(target, CONFIRM_SUBJECT, tokens.length + 1)).link!),
      );
    }
    const replies = await Promise.all(
      tokens.map((token) => w.send(account.confirmEmailChange, { body: { token } })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = replies.find((r) => r.status === 409)!;
    expect(refused.json()).toMatchObject({ code: 'email_taken' });
    expect(await sql(t, 'SELECT id FROM users WHERE email = $1', [target])).toHaveLength(1);
  });
});
