import { type BeforeApplicationShutdown } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { WS_PATH } from '@repo/contracts';
import { type IncomingMessage } from 'node:http';
import { type WebSocket, type WebSocketServer } from 'ws';
import { Config } from '../core/config/config.js';
import { RealtimeHub } from './realtime.hub.js';
import { type SocketIdentity, WsAuthenticator } from './ws-authenticator.js';

/** Frames over 64 KB close the socket (1009). */
const MAX_FRAME_BYTES = 64 * 1024;

type UpgradeRequest = IncomingMessage & { identity?: SocketIdentity };

/**
 * The WebSocket endpoint. CORS does not protect WebSockets, so the upgrade itself is checked:
 * a present Origin must be in CORS_ORIGINS (else 403), and credentials in the headers, if any,
 * must be valid (else 401). Everything after the upgrade is the hub's.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: MAX_FRAME_BYTES })
export class RealtimeGateway
  implements OnGatewayInit<WebSocketServer>, OnGatewayConnection, BeforeApplicationShutdown
{
  constructor(
    private readonly hub: RealtimeHub,
    private readonly authenticator: WsAuthenticator,
    private readonly config: Config,
  ) {}

  afterInit(server: WebSocketServer) {
    const allowed = new Set(this.config.CORS_ORIGINS);
    // Set here, not in the decorator, because it needs injected services; ws reads it at each upgrade.
    server.options.verifyClient = (
      info: { origin?: string; req: UpgradeRequest },
      done: (ok: boolean, status?: number, message?: string) => void,
    ) => {
      if (info.req.headers.origin !== undefined && !allowed.has(info.req.headers.origin)) {
        return done(false, 403, 'Origin not allowed');
      }
      this.authenticator.headers(info.req.headers).then(
        (identity) => {
          if (identity === null) return done(false, 401, 'Invalid credentials');
          info.req.identity = identity;
          done(true);
        },
        () => done(false, 500),
      );
    };
  }

  handleConnection(socket: WebSocket, request: UpgradeRequest) {
    this.hub.accept(socket, request.identity);
  }

  beforeApplicationShutdown() {
    this.hub.closeAll();
  }
}
