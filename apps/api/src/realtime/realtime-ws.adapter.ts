import { WsAdapter } from '@nestjs/platform-ws';

/**
 * Nest's `ws` adapter, minus its per-socket message pipeline when there is nothing to route:
 * the gateway has no @SubscribeMessage handlers (RealtimeHub reads every frame itself), so the
 * rxjs stream Nest would attach to each client only parsed frames a second time and held memory
 * (a few KB per socket: docs/performance.md).
 */
export class RealtimeWsAdapter extends WsAdapter {
  override bindMessageHandlers(...args: Parameters<WsAdapter['bindMessageHandlers']>) {
    const [, handlers] = args;
    if (handlers.length > 0) super.bindMessageHandlers(...args);
  }
}
