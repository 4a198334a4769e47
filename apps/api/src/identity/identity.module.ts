import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { Config } from '../core/config/config.js';
import { UsersModule } from '../users/users.module.js';
import { accessSecretKey } from '../access/access-token.js';
import { AuthController } from './identity.controller.js';
import { AuthService } from './identity.service.js';
import { EmailTokenEntity } from './email-token.entity.js';
import { EmailTokensService } from './email-tokens.service.js';
import { JwtStrategy } from '../access/jwt.strategy.js';
import { MfaController } from '../mfa/mfa.controller.js';
import { MfaService } from '../mfa/mfa.service.js';
import { PasswordService } from '../core/crypto/password.service.js';
import { PasswordPolicyModule } from '../passwords/passwords.module.js';
import { RecoveryCodeEntity } from '../mfa/recovery-code.entity.js';
import { SessionEntity } from '../sessions/session.entity.js';
import { SessionsController } from '../sessions/sessions.controller.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TokenDelivery } from '../sessions/token-delivery.js';
import { TokensService } from '../sessions/tokens.service.js';
import { VerifiedAccessTokens } from '../access/verified-access-tokens.js';
import { UsedRefreshTokenEntity } from '../sessions/used-refresh-token.entity.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      SessionEntity,
      UsedRefreshTokenEntity,
      EmailTokenEntity,
      RecoveryCodeEntity,
    ]),
    PassportModule,
    JwtModule.registerAsync({
      inject: [Config],
      useFactory: (config: Config) => ({
        secret: accessSecretKey(config),
        signOptions: { algorithm: 'HS256', issuer: config.JWT_ISSUER },
        verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER },
      }),
    }),
    UsersModule,
    ApiKeysModule,
    PasswordPolicyModule,
  ],
  controllers: [AuthController, SessionsController, MfaController],
  providers: [
    AuthService,
    SessionsService,
    TokensService,
    VerifiedAccessTokens,
    EmailTokensService,
    MfaService,
    PasswordService,
    JwtStrategy,
    TokenDelivery,
  ],
  exports: [
    SessionsService,
    PasswordService,
    TokensService,
    AuthService,
    TokenDelivery,
    MfaService,
  ],
})
export class AuthModule {}
