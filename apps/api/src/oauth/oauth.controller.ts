import { Controller, Req, Res } from '@nestjs/common';
import {
  contract,
  type LinkedAccount,
  oauthCallbackPath,
  type OAuthProvider,
  type OAuthProviderId,
  type OAuthRedirect,
  safeNextPath,
} from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { CurrentPrincipal, type Principal } from '../access/principal.js';
import { Config } from '../core/config/config.js';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { clientInfo } from '../core/http/client-info.js';
import { setRefreshCookie } from '../sessions/refresh-cookie.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { type Flow, OAuthCookies, sameSecret } from './oauth-cookies.js';
import { OAuthService, type Outcome } from './oauth.service.js';
import { providerErrorCode, type SignInProvider } from './providers/sign-in-provider.js';
import { SignInProviders } from './providers/sign-in-providers.js';

const oauth = contract.oauth;

/** Where the web app goes after a sign-in with no (usable) `next`. */
const DEFAULT_NEXT = '/dashboard';
const SETTINGS = '/settings/sign-in';

/** Answers a browser navigation with a redirect (the endpoint's 302) that no cache keeps. */
function redirect(reply: FastifyReply, location: string) {
  reply.header('location', location).header('cache-control', 'no-store');
}

@Controller()
export class OAuthController {
  constructor(
    private readonly service: OAuthService,
    private readonly providers: SignInProviders,
    private readonly cookies: OAuthCookies,
    private readonly sessions: SessionsService,
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(OAuthController.name);
  }

  @Handles(oauth.providers)
  list(): OAuthProvider[] {
    return this.providers.list();
  }

  @Handles(oauth.start)
  async start(
    @Input() { params, query }: InputOf<typeof oauth.start>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const provider = this.providers.get(params.provider);
    const next = safeNextPath(query.next) ?? DEFAULT_NEXT;
    try {
      const { flow, url } = await this.service.begin(
        provider,
        this.redirectUri(request, provider.id),
        next,
      );
      this.cookies.setFlow(reply, flow);
      redirect(reply, url.href);
    } catch (error) {
      this.logger.warn({ err: error, provider: provider.id }, 'Provider sign-in could not start');
      redirect(
        reply,
        this.webUrl('/login', { oauth_error: providerErrorCode(error), provider: provider.id }),
      );
    }
  }

  @RateLimit('auth')
  @Handles(oauth.callback)
  async callback(
    @Input() { params }: InputOf<typeof oauth.callback>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const provider = this.providers.get(params.provider);
    const opened = this.cookies.takeFlow(request, reply, provider.id);
    if (!('value' in opened)) {
      const error = 'expired' in opened ? 'flow_expired' : 'state_mismatch';
      return redirect(reply, this.webUrl('/login', { oauth_error: error, provider: provider.id }));
    }
    const flow = opened.value;
    const outcome = await this.outcomeOf(provider, flow, request);
    redirect(reply, this.landing(outcome, flow, reply));
  }

  @Handles(oauth.link)
  async link(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof oauth.link>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OAuthRedirect> {
    const provider = this.providers.get(params.provider);
    const next = `${SETTINGS}?oauth_linked=${provider.id}`;
    let begun: Awaited<ReturnType<OAuthService['begin']>>;
    try {
      begun = await this.service.begin(
        provider,
        this.redirectUri(request, provider.id),
        next,
        principal.userId,
      );
    } catch (error) {
      this.logger.warn({ err: error, provider: provider.id }, 'Provider link could not start');
      throw new ProblemError(
        'service_unavailable',
        `${provider.name} cannot be reached: try again shortly.`,
      );
    }
    this.cookies.setFlow(reply, begun.flow);
    return { url: begun.url.href };
  }

  @Handles(oauth.linkPending)
  linkPending(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LinkedAccount> {
    const opened = this.cookies.takePending(request, reply);
    if (!('value' in opened))
      throw new ProblemError(
        'not_found',
        'No provider account is waiting to be linked (or it waited too long).',
      );
    return this.service.linkPending(principal.userId, opened.value, clientInfo(request));
  }

  @Handles(oauth.accounts)
  accounts(@CurrentPrincipal() principal: Principal): Promise<LinkedAccount[]> {
    return this.service.accounts(principal.userId);
  }

  @Handles(oauth.unlink)
  unlink(
    @CurrentPrincipal() principal: Principal,
    @Input() { params }: InputOf<typeof oauth.unlink>,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.service.unlink(principal.userId, params.id, clientInfo(request));
  }

  /** What the provider's answer comes to: checked against the flow, then the account rules. */
  private async outcomeOf(
    provider: SignInProvider,
    flow: Flow,
    request: FastifyRequest,
  ): Promise<Outcome> {
    const query = request.query as Record<string, unknown>;
    // A forged or mixed-up callback: its state is not the one this browser's flow sent.
    if (typeof query.state !== 'string' || !sameSecret(query.state, flow.state))
      return { kind: 'refused', error: 'state_mismatch' };
    if (query.error !== undefined)
      return {
        kind: 'refused',
        error: query.error === 'access_denied' ? 'access_denied' : 'provider_error',
      };
    const search = request.url.slice(request.url.indexOf('?'));
    const callbackUrl = new URL(`${this.redirectUri(request, provider.id)}${search}`);
    let profile;
    try {
      profile = await provider.profile(callbackUrl, flow);
    } catch (error) {
      this.logger.warn({ err: error, provider: provider.id }, 'Provider answer refused');
      return { kind: 'refused', error: providerErrorCode(error) };
    }
    try {
      return await this.service.complete(flow, profile, clientInfo(request));
    } catch (error) {
      this.logger.error({ err: error, provider: provider.id }, 'Provider sign-in failed');
      return { kind: 'refused', error: 'sign_in_failed' };
    }
  }

  /** Where the web app takes over: signed in, at the MFA step, or on a page that says why not. */
  private landing(outcome: Outcome, flow: Flow, reply: FastifyReply): string {
    const provider = flow.provider;
    switch (outcome.kind) {
      case 'session':
        setRefreshCookie(
          reply,
          this.config,
          outcome.issued.refreshToken!,
          this.sessions.refreshTtlS,
        );
        return this.webUrl(flow.next);
      case 'mfa':
        // In the fragment: the challenge never reaches a server or its log.
        return `${this.webUrl('/login', { next: flow.next })}#${new URLSearchParams({
          mfa: outcome.challenge.mfaToken,
          methods: outcome.challenge.methods.join(','),
        }).toString()}`;
      case 'linked':
        return this.webUrl(flow.next);
      case 'pending':
        this.cookies.setPending(reply, outcome.pending);
        return this.webUrl('/login', {
          oauth_error: 'account_exists',
          provider,
          next: `${SETTINGS}?oauth_link=pending`,
        });
      case 'refused':
        return this.webUrl(flow.linkUserId ? SETTINGS : '/login', {
          oauth_error: outcome.error,
          provider,
        });
    }
  }

  /** A page of the web app. */
  private webUrl(path: string, query?: Record<string, string>): string {
    const url = new URL(path, this.config.WEB_ORIGIN);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url.href;
  }

  /**
   * The redirect URI to register at the provider: the API's public origin (API_PUBLIC_URL; in
   * development, the origin the request came to) and the provider's callback path.
   */
  private redirectUri(request: FastifyRequest, provider: OAuthProviderId): string {
    const origin = this.config.API_PUBLIC_URL ?? `${request.protocol}://${request.host}`;
    return `${origin}${oauthCallbackPath(provider)}`;
  }
}
