import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Config } from '../core/config/config.js';
import { AccessCache } from './access-cache.js';
import { accessSecretKey } from './access-token.js';
import { AccessWriteFence } from './access-write-fence.js';
import { AccessService } from './access.service.js';
import { ApiKeyStrategy } from './api-key.strategy.js';
import { JwtStrategy } from './jwt.strategy.js';
import { VerifiedAccessTokens } from './verified-access-tokens.js';

/**
 * Who is calling, for every feature: the strategies AccessGuard runs, the cache every access
 * decision reads through, and the JWT key the sessions sign their access tokens with. Global, as
 * every controller's principal comes from here.
 */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [Config],
      useFactory: (config: Config) => ({
        secret: accessSecretKey(config),
        signOptions: { algorithm: 'HS256', issuer: config.JWT_ISSUER },
        verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER },
      }),
    }),
  ],
  providers: [
    AccessCache,
    AccessWriteFence,
    VerifiedAccessTokens,
    AccessService,
    JwtStrategy,
    ApiKeyStrategy,
  ],
  exports: [AccessCache, AccessService, JwtModule],
})
export class AccessModule {}
