import { type AuthTokens, authTokensSchema } from '@repo/contracts';
import { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { ApiError } from '../transport/api-error.js';
import { META, type WithMeta } from '../transport/request-meta.js';

/**
 * The request that trades the refresh token for new tokens (the session sends one at a time),
 * cancellable: a session that ends while it is under way has no use for its answer.
 */
export class RefreshRequest {
  private inFlight: AbortController | undefined;

  constructor(
    private readonly http: AxiosInstance,
    private readonly endpoint: { method: string; path: string },
  ) {}

  /** New tokens, or why there are none (an ApiError of kind `aborted` once cancelled). */
  async send(body: { refreshToken?: string }): Promise<AuthTokens | ApiError> {
    const request = new AbortController();
    this.inFlight = request;
    try {
      const response = await this.http.request<unknown>({
        method: this.endpoint.method,
        url: this.endpoint.path,
        data: body,
        signal: request.signal,
        [META]: { skipAuth: true, skipRefresh: true, retry: false },
      } as AxiosRequestConfig & WithMeta);
      return authTokensSchema.parse(response.data);
    } catch (error) {
      return error instanceof ApiError
        ? error
        : new ApiError({ kind: 'invalid_response', detail: String(error), cause: error });
    } finally {
      if (this.inFlight === request) this.inFlight = undefined;
    }
  }

  cancel(): void {
    this.inFlight?.abort();
  }
}
