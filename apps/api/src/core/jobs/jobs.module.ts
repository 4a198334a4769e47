import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobPing } from './job-ping.js';
import { JobWorker } from './job-worker.js';
import { Jobs } from './jobs.js';

/** The job engine for every module: inject `Jobs` to queue a job, declare one with @JobTask. */
@Global()
@Module({ imports: [DiscoveryModule], providers: [Jobs, JobWorker, JobPing], exports: [Jobs] })
export class JobsModule {}
