import { Module } from '@nestjs/common';
import { ConnectionLeases } from './connection-leases.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeHub } from './realtime.hub.js';
import { WsAuthenticator } from './ws-authenticator.js';

@Module({
  providers: [RealtimeGateway, RealtimeHub, WsAuthenticator, ConnectionLeases],
})
export class RealtimeModule {}
