import { type RealtimeState } from '@repo/client';

/** What the header's indicator shows of the realtime connection. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export function liveStatusOf(state: RealtimeState): LiveStatus {
  switch (state) {
    case 'connecting':
    case 'authenticating':
      return 'connecting';
    case 'open':
      return 'live';
    case 'reconnecting':
      return 'reconnecting';
    case 'idle':
    case 'closed':
      return 'offline';
  }
}

export const LIVE_STATUS_LABELS: Record<LiveStatus, string> = {
  connecting: 'Connecting',
  live: 'Live',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
};
