import { type AxiosRequestConfig, AxiosHeaders, type AxiosResponse } from 'axios';
import { type RetryOptions } from './retry-policy.js';

/** What the client keeps on each axios request config. */
export interface RequestMeta {
  /** Neither an access token nor an API key is sent (public and refresh-cookie endpoints). */
  skipAuth?: boolean;
  /** A 401 does not trigger a refresh. */
  skipRefresh?: boolean;
  retry?: boolean | Partial<RetryOptions>;
  /** Retries done so far. */
  attempt?: number;
  /** Already sent again once after a refresh. */
  refreshed?: boolean;
  /** The Authorization header was set by the client, with this token. */
  tokenUsed?: string;
}

export const META = 'repoClient';
export type WithMeta = { [META]?: RequestMeta };

/** The client's metadata of a request, created on first use. */
export const metaOf = (config: AxiosRequestConfig): RequestMeta => {
  const holder = config as WithMeta;
  return (holder[META] ??= {});
};

/** A header of a response, whatever shape axios gave the headers in. */
export function headerOf(response: AxiosResponse | undefined, name: string): string | undefined {
  if (!response) return undefined;
  const value = AxiosHeaders.from(response.headers as Record<string, string>).get(name);
  return typeof value === 'string' ? value : undefined;
}
