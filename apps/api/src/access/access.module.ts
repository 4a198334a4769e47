import { Global, Module } from '@nestjs/common';
import { AccessCache } from './access-cache.js';
import { AccessWriteFence } from './access-write-fence.js';

/** Global: the access decisions of every feature read through the one cache. */
@Global()
@Module({ providers: [AccessCache, AccessWriteFence], exports: [AccessCache] })
export class AccessCacheModule {}
