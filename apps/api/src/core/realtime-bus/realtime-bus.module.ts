import { Global, Module } from '@nestjs/common';
import { RealtimeBus } from './realtime-bus.js';

/** Global: any feature can publish domain events. */
@Global()
@Module({ providers: [RealtimeBus], exports: [RealtimeBus] })
export class RealtimeBusModule {}
