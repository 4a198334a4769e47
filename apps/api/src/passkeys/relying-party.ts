import { Injectable, type OnModuleInit } from '@nestjs/common';
import { passkeyOriginProblems, passkeyRpId } from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { Config } from '../core/config/config.js';

/**
 * This site as WebAuthn sees it: the RP ID is the web origin's host, and a ceremony may come from
 * any web origin the API accepts (WEB_ORIGIN and CORS_ORIGINS).
 */
@Injectable()
export class RelyingParty implements OnModuleInit {
  readonly id: string;
  readonly name: string;
  readonly origins: string[];

  constructor(
    private readonly config: Config,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RelyingParty.name);
    this.id = passkeyRpId(config.WEB_ORIGIN);
    this.name = config.PASSKEY_RP_NAME;
    this.origins = [...new Set([config.WEB_ORIGIN, ...config.CORS_ORIGINS])];
  }

  /** The same rule as the doctor's: said at start, so a deployment that cannot work is noticed. */
  onModuleInit() {
    for (const { origin, reason } of passkeyOriginProblems(
      this.config.WEB_ORIGIN,
      this.config.CORS_ORIGINS,
    )) {
      this.logger.warn(
        { origin, rpId: this.id },
        `Passkeys will not work from ${origin}: ${reason}`,
      );
    }
  }
}
