import { authTokensSchema } from '@repo/contracts';
import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { post } from '../support/auth-client.js';
import { header, type SmtpSink, startSmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';
import { eventsOf, expectOneNotice, mailsTo } from './security-events.client.js';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';
const FIREFOX_LINUX_UPDATED =
  'Mozilla/5.0 (X11; Linux x86_64; rv:141.0) Gecko/20100101 Firefox/141.0';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const NEW_SIGN_IN = /^New sign-in to your account$/;

describe('the new-device notice', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t.close());

  const loginFrom = async (user: { email: string; password: string }, userAgent: string) => {
    const res = await post(
      t,
      '/auth/login',
      { email: user.email, password: user.password },
      { 'user-agent': userAgent },
    );
    expect(res.status).toBe(200);
    return authTokensSchema.parse(await res.json());
  };

  it('is mailed for a browser and system the account never signed in from, once each', async () => {
    // The first sign-in of an account is no news: no notice.
    const user = await w.user();
    await w.login(user);
    expect(await mailsTo(w, user.email, NEW_SIGN_IN)).toEqual([]);

    const fromFirefox = await loginFrom(user, FIREFOX_LINUX);
    const notice = await expectOneNotice(w, user.email, 'New sign-in to your account');
    expect(notice.text).toContain('Device: Firefox on Linux');
    expect(notice.text).toContain('IP address: 127.0.0.1');
    expect((await eventsOf(w, fromFirefox))[0]).toMatchObject({
      type: 'login_succeeded',
      device: 'Firefox on Linux',
      details: { device: 'Firefox on Linux' },
    });

    // A browser update is the same device.
    await loginFrom(user, FIREFOX_LINUX_UPDATED);
    expect(await mailsTo(w, user.email, NEW_SIGN_IN)).toHaveLength(1);

    await loginFrom(user, CHROME_WINDOWS);
    const notices = await mailsTo(w, user.email, NEW_SIGN_IN);
    expect(notices).toHaveLength(2);
    expect(notices[0]!.text).toContain('Device: Chrome on Windows');
  });

  it('is not mailed for a failed sign-in from a new device', async () => {
    const user = await w.user();
    const res = await post(
      t,
      '/auth/login',
      { email: user.email, password: 'not the password at all' },
      { 'user-agent': CHROME_WINDOWS },
    );
    expect(res.status).toBe(401);
    await loginFrom(user, FIREFOX_LINUX);
    // The failure was recorded before this sign-in; still one notice, for the sign-in.
    const types = (await eventsOf(w, await w.login(user))).map((e) => e.type);
    expect(types).toContain('login_failed');
    expect(await mailsTo(w, user.email, NEW_SIGN_IN)).toHaveLength(1);
  });
});

describe('security notices over SMTP', () => {
  const LOGIN = { user: 'mailer', pass: 'alerts-smtp-pw' };
  let t: TestApp;
  let sink: SmtpSink;
  beforeAll(async () => {
    const port = await freePort();
    sink = await startSmtpSink(port, LOGIN);
    t = await startTestApp({
      env: {
        ...NO_RATE_LIMITS,
        SMTP_URL: `smtp://${LOGIN.user}:${LOGIN.pass}@127.0.0.1:${port}`,
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  it('go out once, as multipart/alternative with a text and an HTML part', async () => {
    const w = new World(t);
    const user = await w.user();
    await w.apiKey(user);
    const subject = 'A new API key was created';
    await expect
      .poll(() => sink.received.filter((e) => header(e, 'Subject') === subject).length, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(1);
    const email = sink.received.find((e) => header(e, 'Subject') === subject)!;
    expect(email.to).toEqual([user.email]);
    expect(header(email, 'Content-Type')).toMatch(/^multipart\/alternative/);
    expect(email.body).toMatch(/Content-Type: text\/plain/i);
    expect(email.body).toMatch(/Content-Type: text\/html/i);
    // Marked sent, so no retry of its job sends it again.
    await expect
      .poll(async () => (await mailsTo(w, user.email, new RegExp(subject)))[0]?.sentAt, {
        timeout: 20_000,
        interval: 100,
      })
      .toEqual(expect.any(String));
    expect(sink.received.filter((e) => header(e, 'Subject') === subject)).toHaveLength(1);
  });
});
