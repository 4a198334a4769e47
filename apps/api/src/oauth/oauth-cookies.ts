import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  API_PREFIX,
  oauthCallbackPath,
  type OAuthProviderId,
  oauthProviderIdSchema,
} from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Config } from '../core/config/config.js';
import { SecretBox } from '../core/crypto/secret-box.js';

/** How long a provider sign-in may take, from the start to the callback (and a pending link). */
const FLOW_TTL_S = 600;

const FLOW_COOKIE = 'oauth_flow';
const PENDING_COOKIE = 'oauth_pending';
/** The pending link is read by POST /auth/oauth/link-pending: the cookie goes to the whole feature. */
const PENDING_PATH = `${API_PREFIX}/auth/oauth`;

const flowSchema = z.object({
  purpose: z.literal('oauth_flow'),
  provider: oauthProviderIdSchema,
  state: z.string(),
  codeVerifier: z.string(),
  nonce: z.string().optional(),
  /** Where the web app goes afterwards (already made safe). */
  next: z.string(),
  /** Set when a signed-in user links the provider, rather than signs in with it. */
  linkUserId: z.uuid().optional(),
  expiresAt: z.number(),
});
export type Flow = Omit<z.infer<typeof flowSchema>, 'purpose' | 'expiresAt'>;

const pendingSchema = z.object({
  purpose: z.literal('oauth_pending'),
  provider: oauthProviderIdSchema,
  subject: z.string(),
  email: z.string(),
  /** The account whose email the identity met: only its owner may link it. */
  userId: z.uuid(),
  expiresAt: z.number(),
});
export type PendingLink = Omit<z.infer<typeof pendingSchema>, 'purpose' | 'expiresAt'>;

/** What a request's cookie held: the value, or why there is none. */
export type Opened<T> = { value: T } | { missing: true } | { expired: true };

/** Whether two strings are equal, in a time that does not tell how much of them matched. */
export const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The state of a provider sign-in between the start and the callback, and an identity waiting to
 * be linked, in short-lived httpOnly cookies sealed with AES-GCM (DATA_ENCRYPTION_SECRET): the
 * browser carries them but can neither read nor change them. The flow cookie goes only to its
 * provider's callback; SameSite=Lax lets the provider's top-level redirect back carry it.
 */
@Injectable()
export class OAuthCookies {
  constructor(
    private readonly box: SecretBox,
    private readonly config: Config,
  ) {}

  setFlow(reply: FastifyReply, flow: Flow) {
    this.set(reply, FLOW_COOKIE, oauthCallbackPath(flow.provider), {
      purpose: 'oauth_flow',
      ...flow,
    });
  }

  /** The flow of this provider's callback request; the cookie is cleared: a flow is used once. */
  takeFlow(request: FastifyRequest, reply: FastifyReply, provider: OAuthProviderId): Opened<Flow> {
    this.clear(reply, FLOW_COOKIE, oauthCallbackPath(provider));
    const opened = this.open(request, FLOW_COOKIE, flowSchema);
    if ('value' in opened && opened.value.provider !== provider) return { missing: true };
    return opened;
  }

  setPending(reply: FastifyReply, pending: PendingLink) {
    this.set(reply, PENDING_COOKIE, PENDING_PATH, { purpose: 'oauth_pending', ...pending });
  }

  takePending(request: FastifyRequest, reply: FastifyReply): Opened<PendingLink> {
    this.clear(reply, PENDING_COOKIE, PENDING_PATH);
    return this.open(request, PENDING_COOKIE, pendingSchema);
  }

  private options(path: string) {
    return {
      httpOnly: true,
      secure: this.config.cookieSecure,
      // Strict would keep the cookie from the provider's redirect back; None where the refresh
      // cookie needs it too (the web app on another site).
      sameSite: this.config.COOKIE_SAMESITE === 'none' ? ('none' as const) : ('lax' as const),
      path,
    };
  }

  private set(reply: FastifyReply, name: string, path: string, value: object) {
    const sealed = this.box.encrypt(
      JSON.stringify({ ...value, expiresAt: Date.now() + FLOW_TTL_S * 1000 }),
    );
    reply.setCookie(name, sealed, { ...this.options(path), maxAge: FLOW_TTL_S });
  }

  private clear(reply: FastifyReply, name: string, path: string) {
    reply.clearCookie(name, this.options(path));
  }

  private open<T extends { expiresAt: number }>(
    request: FastifyRequest,
    name: string,
    schema: z.ZodType<T>,
  ): Opened<Omit<T, 'purpose' | 'expiresAt'>> {
    const sealed = request.cookies[name];
    if (!sealed) return { missing: true };
    let value: T;
    try {
      value = schema.parse(JSON.parse(this.box.decrypt(sealed)));
    } catch {
      // Tampered with, sealed with another key, or another kind of sealed value.
      return { missing: true };
    }
    if (value.expiresAt < Date.now()) return { expired: true };
    const { purpose: _purpose, expiresAt: _expiresAt, ...rest } = value as T & { purpose: string };
    return { value: rest };
  }
}
