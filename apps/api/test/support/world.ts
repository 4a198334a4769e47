import { randomUUID } from 'node:crypto';
import { buildPath } from '@repo/client';
import {
  type AuthTokens,
  contract,
  type CreatedApiKey,
  type Endpoint,
  type Organisation,
  type OrgRole,
  type OutboxMessage,
  PROBLEM_CONTENT_TYPE,
  problemDetailsSchema,
  problemsOf,
  type RecoveryCodes,
  successStatus,
  type TotpSetup,
} from '@repo/contracts';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import { type Credentials, newCredentials } from '@repo/test-support';
import { type ApiTarget, BROWSER_ORIGIN, refreshCookie } from './auth-client.js';
import { type Expected, type Reply, type ScenarioRequest } from './scenarios.js';

/** A verified user, logged in from a browser. */
export interface TestUser extends Credentials {
  id: string;
  accessToken: string;
  /** `refresh_token=…` */
  cookie: string;
}

/** A user with TOTP on. */
export interface MfaUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
}

/** Every exchange of a world, as the client saw it. */
export interface Exchange {
  endpoint: Endpoint;
  request: ScenarioRequest;
  reply: Reply;
}

const { auth, mfa, apiKeys, dev, organisations, invitations } = contract;

/** The subject of an invitation into `org` (the organisations of `organisation()` have unique names). */
export const invitationSubject = (org: Pick<Organisation, 'name'>) =>
  new RegExp(`invited you to ${org.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/** The TOTP code of the time step `steps` from now (the API accepts one step either side). */
export const totpCode = (secret: string, steps = 0) =>
  new TOTP({
    secret: Secret.fromBase32(secret),
    period: 30,
    digits: 6,
    algorithm: 'SHA1',
  }).generate({ timestamp: Date.now() + steps * 30_000 });

/** Checks an answer against what a case expects; the label names the case in a failure. */
export function expectReply(label: string, endpoint: Endpoint, expected: Expected, reply: Reply) {
  const [status, code] =
    expected === 'success'
      ? [successStatus(endpoint), undefined]
      : typeof expected === 'number'
        ? [expected, undefined]
        : expected;
  expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(status);
  if (code) expect(problemDetailsSchema.parse(reply.json()).code, label).toBe(code);
}

/** A problem answered must be one the endpoint's contract names (problemsOf). */
function expectNamedProblem(endpoint: Endpoint, reply: Reply) {
  if (!reply.headers.get('content-type')?.startsWith(PROBLEM_CONTENT_TYPE)) return;
  const { code } = problemDetailsSchema.parse(reply.json());
  expect(
    problemsOf(endpoint),
    `${endpoint.id} answered ${code}, a problem its contract does not name`,
  ).toContain(code);
}

/**
 * The API as scenarios see it: real HTTP to a running app, and the helpers that make the state a
 * request needs (users, sessions, MFA, keys, notes, mailed tokens). Every exchange, the helpers'
 * too, goes to `onExchange`, so a walk sees them all.
 */
export class World {
  /** The response of each TOTP setup, by the secret it showed. */
  readonly totpSetups = new Map<string, Reply>();
  /** The people of `person()`, by name. */
  private readonly people = new Map<string, Promise<TestUser>>();

  constructor(
    /** The API: `api` is its base URL, e.g. http://127.0.0.1:4000/api/v1 */
    private readonly t: ApiTarget,
    private readonly onExchange: (exchange: Exchange) => void = () => undefined,
  ) {}

  /** The Origin and credentials a request sends (its body's Content-Type aside). */
  headersFor(endpoint: Endpoint, request: ScenarioRequest): Record<string, string> {
    const headers: Record<string, string> = {};
    const origin = request.origin === undefined ? BROWSER_ORIGIN : request.origin;
    if (origin !== null) headers.origin = origin;
    const as = request.as;
    if (as && 'apiKey' in as) headers['x-api-key'] = as.apiKey;
    if (as && 'authorization' in as) headers.authorization = as.authorization;
    if (as && 'cookie' in as && as.cookie && endpoint.access === 'refresh-cookie') {
      headers.cookie = as.cookie;
    } else if (as && 'accessToken' in as) {
      headers.authorization = `Bearer ${as.accessToken}`;
    }
    if (request.cookie)
      headers.cookie = [headers.cookie, request.cookie].filter(Boolean).join('; ');
    return headers;
  }

  async send(endpoint: Endpoint, request: ScenarioRequest = {}): Promise<Reply> {
    const headers = this.headersFor(endpoint, request);
    let body: string | undefined;
    if (request.raw) {
      body = request.raw.text;
      headers['content-type'] = request.raw.contentType;
    } else if (request.body !== undefined || !['GET', 'DELETE'].includes(endpoint.method)) {
      body = JSON.stringify(request.body ?? {});
      headers['content-type'] = 'application/json';
    }
    const query = request.query
      ? `?${new URLSearchParams(Object.entries(request.query).map(([k, v]) => [k, String(v)] as [string, string])).toString()}`
      : '';
    const res = await fetch(`${this.t.api}${buildPath(endpoint.path, request.params)}${query}`, {
      method: endpoint.method,
      headers,
      ...(body === undefined ? {} : { body }),
      // A redirect (a browser navigation's answer) is the reply itself.
      redirect: 'manual',
    });
    const text = await res.text();
    const reply: Reply = {
      status: res.status,
      text,
      headers: res.headers,
      json: () => JSON.parse(text) as unknown,
    };
    this.onExchange({ endpoint, request, reply });
    expectNamedProblem(endpoint, reply);
    return reply;
  }

  /** Sends, and checks the answer is the one expected. */
  async expect(
    label: string,
    endpoint: Endpoint,
    expected: Expected,
    request: ScenarioRequest = {},
  ): Promise<Reply> {
    const reply = await this.send(endpoint, request);
    expectReply(label, endpoint, expected, reply);
    return reply;
  }

  /** The newest email to `to` whose subject matches, once there are `count`. */
  async mailed(to: string, subject: RegExp, count = 1): Promise<OutboxMessage> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const reply = await this.expect('dev outbox', dev.outbox, 'success', { query: { to } });
      const mails = (reply.json() as OutboxMessage[]).filter((m) => subject.test(m.subject));
      if (mails.length >= count) return mails[0]!;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`No email "${String(subject)}" to ${to}`);
  }

  /** The token of the newest email to `to` whose subject matches, once there are `count`. */
  async mailedToken(to: string, subject: RegExp, count = 1): Promise<string> {
    const url = new URL((await this.mailed(to, subject, count)).link!);
    // In the query, or in the fragment where a page reads it (no server sees it there).
    return url.searchParams.get('token') ?? new URLSearchParams(url.hash.slice(1)).get('token')!;
  }

  /**
   * A registered user whose email is not confirmed yet. Registration ends after its answer: the
   * verification email is the sign that the account exists.
   */
  async unverifiedUser(): Promise<Credentials> {
    const credentials = newCredentials();
    await this.expect('register', auth.register, 'success', { body: credentials });
    await this.mailed(credentials.email, /Confirm/);
    return credentials;
  }

  /** A new user, registered, verified and logged in from a browser. */
  async user(): Promise<TestUser> {
    const credentials = await this.unverifiedUser();
    const token = await this.mailedToken(credentials.email, /Confirm/);
    await this.expect('verify email', auth.verifyEmail, 'success', { body: { token } });
    return { ...credentials, ...(await this.login(credentials)) };
  }

  /** A browser login: an access token and the refresh cookie. */
  async login(credentials: Pick<Credentials, 'email' | 'password'>) {
    const { email, password } = credentials;
    const reply = await this.expect('login', auth.login, 'success', { body: { email, password } });
    const tokens = reply.json() as AuthTokens;
    const cookie = refreshCookie(new Response(null, { headers: reply.headers }));
    expect(cookie, 'the login set the refresh cookie').toBeDefined();
    return { id: tokens.user.id, accessToken: tokens.accessToken, cookie: cookie! };
  }

  /** A native login (no Origin): the refresh token comes in the body. */
  async nativeLogin(credentials: Pick<Credentials, 'email' | 'password'>) {
    const { email, password } = credentials;
    const reply = await this.expect('login (native)', auth.login, 'success', {
      body: { email, password },
      origin: null,
    });
    const tokens = reply.json() as AuthTokens;
    expect(tokens.refreshToken, 'a native login gets its refresh token').toBeDefined();
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken! };
  }

  /** Starts TOTP enrolment; the secret shown is remembered with its response. */
  async totpSetup(user: TestUser): Promise<TotpSetup> {
    const reply = await this.expect('totp setup', mfa.setupTotp, 'success', { as: user });
    return this.sawTotpSetup(reply);
  }

  /** Notes the response that showed a TOTP secret (the one response allowed to). */
  sawTotpSetup(reply: Reply): TotpSetup {
    const setup = reply.json() as TotpSetup;
    this.totpSetups.set(setup.secret, reply);
    return setup;
  }

  /** A new user with TOTP on, and its recovery codes. */
  async mfaUser(): Promise<MfaUser> {
    const user = await this.user();
    const { secret } = await this.totpSetup(user);
    const reply = await this.expect('totp enable', mfa.enableTotp, 'success', {
      as: user,
      body: { code: totpCode(secret) },
    });
    return { ...user, secret, recoveryCodes: (reply.json() as RecoveryCodes).recoveryCodes };
  }

  /** The MFA challenge token of a login with a correct password. */
  async mfaChallenge(user: MfaUser): Promise<string> {
    const { email, password } = user;
    const reply = await this.expect('login (MFA)', auth.login, 'success', {
      body: { email, password },
    });
    return (reply.json() as { mfaToken: string }).mfaToken;
  }

  async apiKey(user: TestUser, scopes: ('read' | 'write')[] = ['read']): Promise<CreatedApiKey> {
    const reply = await this.expect('create an API key', apiKeys.create, 'success', {
      as: user,
      body: { name: `key ${scopes.join('+')}`, scopes },
    });
    return reply.json() as CreatedApiKey;
  }

  /** A new organisation of the user's (who owns it), with a slug of its own. */
  async organisation(owner: TestUser): Promise<Organisation> {
    const slug = `org-${randomUUID().slice(0, 8)}`;
    const reply = await this.expect('create an organisation', organisations.create, 'success', {
      as: owner,
      body: { name: `Org ${slug}`, slug },
    });
    return reply.json() as Organisation;
  }

  /**
   * A user kept for the world's life under `name`. Registering is what a case costs most, and one
   * person may be in many organisations: the organisation scenarios take the same people into a
   * fresh organisation each time. Only for cases that change nothing of the account itself.
   */
  person(name: string): Promise<TestUser> {
    let person = this.people.get(name);
    if (!person) {
      person = this.user();
      this.people.set(name, person);
    }
    return person;
  }

  /**
   * A new organisation of the person 'owner', with the person named after `role` in it: the
   * setting of most organisation cases.
   */
  async organisationWithMember(role: 'admin' | 'member' = 'member') {
    const owner = await this.person('owner');
    const org = await this.organisation(owner);
    return { owner, org, member: await this.member(owner, org, role, await this.person(role)) };
  }

  /** `user` (a new one by default) joined the organisation with this role, invited by `inviter`. */
  async member(
    inviter: TestUser,
    org: Organisation,
    role: OrgRole = 'member',
    user?: TestUser,
  ): Promise<TestUser> {
    const joining = user ?? (await this.user());
    await this.expect('invite', invitations.create, 'success', {
      as: inviter,
      params: { orgId: org.id },
      body: { email: joining.email, role },
    });
    // Invitations to the same person differ by the organisation their subject names.
    const token = await this.mailedToken(joining.email, invitationSubject(org));
    await this.expect('accept the invitation', invitations.accept, 'success', {
      as: joining,
      body: { token },
    });
    return joining;
  }
}
