import { WS_PATH } from '@repo/contracts';

/** ws(s)://host/ws from the API base URL http(s)://host/api/v1. */
export function realtimeUrl(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = WS_PATH;
  url.search = '';
  url.hash = '';
  return url.toString();
}
