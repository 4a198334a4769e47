import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.js';

/** Metrics for every module: inject `Metrics` to count something. */
@Global()
@Module({ providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}
