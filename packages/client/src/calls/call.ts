import {
  type AuthTokens,
  type Contract,
  type Endpoint,
  paginationSchema,
  takesAccessToken,
  TOTAL_COUNT_HEADER,
} from '@repo/contracts';
import { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { type Session } from '../session/session.js';
import { ApiError } from '../transport/api-error.js';
import { headerOf, META, type WithMeta } from '../transport/request-meta.js';
import { type ReauthHandler } from './reauth-handler.js';
import { type CallInput, type Calls } from './types.js';

/** What a call needs of the client. */
export interface CallContext {
  http: AxiosInstance;
  session: Session;
  /** Check success bodies against the contract. */
  validate: boolean;
  /** Who proves the user's identity again when a sensitive change asks for it. */
  reauth: () => ReauthHandler | undefined;
}

/** `/notes/:id` + `{ id: 'a b' }` → `/notes/a%20b`; throws when a placeholder has no value. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z_]\w*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === '')
      throw new TypeError(`Missing path parameter :${name} for ${path}`);
    return encodeURIComponent(value);
  });
}

const isTokens = (value: unknown): value is AuthTokens =>
  typeof value === 'object' && value !== null && 'accessToken' in value;

/**
 * Calls one endpoint: the request as the contract states it, the response checked against it,
 * and the session kept in step (`session: 'starts'` and `'renews'` hold the tokens, `'ends'`
 * forgets them).
 */
async function callEndpoint(
  context: CallContext,
  endpoint: Endpoint,
  input: CallInput<Endpoint> = {},
): Promise<unknown> {
  const { session } = context;
  const cookie = endpoint.access === 'refresh-cookie';
  // A refresh goes through the session's single flight, shared with automatic refreshes.
  if (cookie && endpoint.session === 'starts') return session.asAuthTokens(await session.refresh());
  const send = async () => {
    const authFree = !takesAccessToken(endpoint);
    const config: AxiosRequestConfig & WithMeta = {
      method: endpoint.method,
      url: buildPath(endpoint.path, input.params),
      params: input.query,
      data: endpoint.body ? (input.body ?? (cookie ? session.refreshBody() : {})) : undefined,
      signal: input.signal,
      headers: input.headers,
      [META]: { skipAuth: authFree, skipRefresh: authFree, retry: input.retry },
    };
    if (input.timeoutMs !== undefined) config.timeout = input.timeoutMs;
    const response = await context.http.request<unknown>(config);
    const result = resultOf(context, endpoint, response, input.query);
    if (endpoint.session === 'starts' && isTokens(result)) session.apply(result, 'login');
    if (endpoint.session === 'renews' && isTokens(result)) session.apply(result, 'refresh');
    return result;
  };
  const sendOnce = () => (endpoint.session === 'ends' ? session.ending(send) : send());
  try {
    return await sendOnce();
  } catch (error) {
    // A sensitive change without a recent proof: once the user has given one, send it again.
    const handler = endpoint.reauth && context.reauth();
    if (!handler || !(error instanceof ApiError) || error.code !== 'reauth_required') throw error;
    const proofs = error.problem?.proofs ?? [];
    if (!(await handler({ proofs, endpoint }))) throw error;
    return await sendOnce();
  } finally {
    // Ended here even when the API cannot be reached.
    if (endpoint.session === 'ends') session.end('logout');
  }
}

function resultOf(
  context: CallContext,
  endpoint: Endpoint,
  response: AxiosResponse<unknown>,
  query: unknown,
): unknown {
  if (!endpoint.response) return undefined;
  let data = response.data;
  const url = context.http.getUri(response.config);
  const invalid = (detail: string, cause?: unknown) =>
    new ApiError({
      kind: 'invalid_response',
      status: response.status,
      method: endpoint.method,
      url,
      requestId: headerOf(response, 'x-request-id'),
      detail,
      cause,
    });
  if (context.validate) {
    const parsed = endpoint.response.safeParse(data);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      throw invalid(`The response does not match the contract: ${issues}`, parsed.error);
    }
    data = parsed.data;
  }
  if (endpoint.query !== paginationSchema) return data;
  const header = headerOf(response, TOTAL_COUNT_HEADER);
  const total = header === undefined ? NaN : Number(header);
  if (!Number.isInteger(total) || total < 0) {
    throw invalid(
      `No ${TOTAL_COUNT_HEADER} header: the API sends it; in a browser it must also be listed in Access-Control-Expose-Headers.`,
    );
  }
  const asked = paginationSchema.safeParse(query ?? {});
  const { page, pageSize } = asked.success ? asked.data : paginationSchema.parse({});
  return { data, total, page, pageSize };
}

/** A call for every endpoint of the contract, grouped by feature. */
export function deriveCalls<C extends Contract>(contract: C, context: CallContext): Calls<C> {
  return Object.fromEntries(
    Object.entries(contract).map(([feature, table]) => [
      feature,
      Object.fromEntries(
        Object.entries(table).map(([name, endpoint]) => [
          name,
          (input?: CallInput<Endpoint>) => callEndpoint(context, endpoint, input),
        ]),
      ),
    ]),
  ) as Calls<C>;
}
