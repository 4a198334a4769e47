import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { AuthModule } from '../identity/identity.module.js';
import { ConnectionLeases } from './connection-leases.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeHub } from './realtime.hub.js';
import { WsAuthenticator } from './ws-authenticator.js';

@Module({
  imports: [AuthModule, ApiKeysModule],
  providers: [RealtimeGateway, RealtimeHub, WsAuthenticator, ConnectionLeases],
})
export class RealtimeModule {}
