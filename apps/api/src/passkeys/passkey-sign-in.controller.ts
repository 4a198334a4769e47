import { Controller, Req, Res } from '@nestjs/common';
import { type AuthTokens, contract, type PasskeyAuthenticationOptions } from '@repo/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { Handles } from '../core/http/handles.js';
import { Input, type InputOf } from '../core/http/input.js';
import { RateLimit } from '../core/rate-limit/rate-limit.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { UsersService } from '../users/users.service.js';
import { SignInService } from '../mfa/sign-in.service.js';
import { SessionTokensService } from '../sessions/session-tokens.service.js';
import { clientInfo, isBrowser } from '../core/http/client-info.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { PasskeysService } from './passkeys.service.js';

const passkeys = contract.passkeys;

/**
 * Signing in with a passkey: alone (a discoverable credential, verified by its PIN or biometric,
 * starts the session), or as the second step of a password login instead of a TOTP code. The
 * options are stateless (see PasskeyChallenges), so only the answers are rate-limited.
 */
@Controller()
export class PasskeySignInController {
  constructor(
    private readonly service: PasskeysService,
    private readonly signIns: SignInService,
    private readonly sessionTokens: SessionTokensService,
    private readonly users: UsersService,
    private readonly delivery: TokenDelivery,
  ) {}

  @Handles(passkeys.signInOptions)
  signInOptions(): Promise<PasskeyAuthenticationOptions> {
    return this.service.signInOptions();
  }

  @RateLimit('auth')
  @Handles(passkeys.signIn)
  async signIn(
    @Input() { body }: InputOf<typeof passkeys.signIn>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const userId = await this.service.signIn(body.response);
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemError('passkey_rejected', 'The account no longer exists.');
    const issued = await this.sessionTokens.startSession(user, clientInfo(request), {
      method: 'passkey',
    });
    return this.delivery.tokens(issued, reply, !isBrowser(request));
  }

  @Handles(passkeys.mfaOptions)
  async mfaOptions(
    @Input() { body }: InputOf<typeof passkeys.mfaOptions>,
  ): Promise<PasskeyAuthenticationOptions> {
    const user = await this.signIns.mfaChallengeUser(body.mfaToken);
    return this.service.ownOptions(user.id, 'mfa');
  }

  @RateLimit('auth')
  @Handles(passkeys.mfaVerify)
  async mfaVerify(
    @Input() { body }: InputOf<typeof passkeys.mfaVerify>,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AuthTokens> {
    const user = await this.signIns.mfaChallengeUser(body.mfaToken);
    await this.service.verifyOwn(user.id, body.response, 'mfa');
    const via = this.signIns.mfaSignInVia(body.mfaToken, 'passkey');
    const issued = await this.sessionTokens.startSession(user, clientInfo(request), via);
    return this.delivery.tokens(issued, reply, !isBrowser(request));
  }
}
