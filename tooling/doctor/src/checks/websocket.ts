import { type CheckResult, type DoctorSetup, skip } from '../model.js';

// Written next: upgrade, foreign origin refused, auth and ping, proxy forwarding, idle socket.
export function websocketChecks(_setup: DoctorSetup): Promise<CheckResult[]> {
  return Promise.resolve([skip('websocket', 'WebSocket', 'not checked yet')]);
}
