import { Module } from '@nestjs/common';
import { ConnectionLeases } from './connection-leases.js';
import { RealtimeGateway } from './realtime.gateway.js';
import { RealtimeHub } from './realtime.hub.js';
import { WsAuthenticator } from './ws-authenticator.js';
import { RealtimeJobs } from './realtime.jobs.js';

@Module({
  providers: [RealtimeJobs, RealtimeGateway, RealtimeHub, WsAuthenticator, ConnectionLeases],
})
export class RealtimeModule {}
