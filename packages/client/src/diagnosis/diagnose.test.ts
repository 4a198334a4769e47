import { describe, expect, it, vi } from 'vitest';
import { type BrowserEnvironment, diagnoseConnection, type ProbeFetch } from './diagnose.js';

const API = 'http://localhost:4000/api/v1';

const page = (origin: string, fetch: ProbeFetch, onLine?: boolean): BrowserEnvironment => ({
  location: { origin, protocol: new URL(origin).protocol },
  fetch,
  ...(onLine === undefined ? {} : { onLine }),
});

/** The server answers the opaque probe. */
const answers = vi.fn<ProbeFetch>(() => Promise.resolve({ type: 'opaque' }));
/** Nothing listens. */
const refuses = vi.fn<ProbeFetch>(() => Promise.reject(new TypeError('Failed to fetch')));

describe('diagnoseConnection', () => {
  it('reachable but the request failed: CORS, with the page origin to allow', async () => {
    const fetch = vi.fn<ProbeFetch>(() => Promise.resolve({}));
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network' },
      page('http://localhost:3001', fetch),
    );
    expect(d).toEqual({
      finding: 'cors_blocked',
      apiUrl: API,
      targetOrigin: 'http://localhost:4000',
      pageOrigin: 'http://localhost:3001',
      reachable: true,
      crossSite: false,
    });
    // The probe: the API's health route, opaque, without cookies.
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]![0]).toBe(`${API}/health`);
    expect(fetch.mock.calls[0]![1]).toMatchObject({ mode: 'no-cors', credentials: 'omit' });
  });

  it('nothing answers: api_unreachable', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network' },
      page('http://localhost:3000', refuses),
    );
    expect(d).toMatchObject({ finding: 'api_unreachable', reachable: false, crossSite: false });
  });

  it('tells when the page and the API are on different sites (a CORS block looks like no server there)', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('http://127.0.0.1:3000', refuses),
    );
    expect(d).toMatchObject({
      finding: 'api_unreachable',
      pageOrigin: 'http://127.0.0.1:3000',
      crossSite: true,
    });
  });

  it('a probe that hangs counts as api_unreachable', async () => {
    const hangs: ProbeFetch = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    const d = await diagnoseConnection(
      { apiUrl: API, kind: 'network', probeTimeoutMs: 20 },
      page('http://localhost:3000', hangs),
    );
    expect(d.finding).toBe('api_unreachable');
  });

  it('an https page calling an http API: mixed content, without probing', async () => {
    const fetch = vi.fn<ProbeFetch>(() => Promise.resolve({}));
    const d = await diagnoseConnection(
      { apiUrl: 'http://api.example.com/api/v1', kind: 'network' },
      page('https://app.example.com', fetch),
    );
    expect(d).toMatchObject({ finding: 'mixed_content', apiUrl: 'http://api.example.com/api/v1' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('http://localhost from an https page is not mixed content (browsers trust loopback)', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('https://localhost:3000', answers),
    );
    expect(d.finding).toBe('cors_blocked');
  });

  it('offline, and timeouts, need no probe', async () => {
    const fetch = vi.fn<ProbeFetch>(() => Promise.resolve({}));
    const offline = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('http://localhost:3000', fetch, false),
    );
    expect(offline.finding).toBe('offline');
    const timeout = await diagnoseConnection(
      { apiUrl: API, kind: 'timeout' },
      page('http://localhost:3000', fetch, true),
    );
    expect(timeout.finding).toBe('api_timeout');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a same-origin request cannot be a CORS problem', async () => {
    const d = await diagnoseConnection(
      { apiUrl: 'http://localhost:8080/api/v1', kind: 'network', cause: 'ERR_NETWORK' },
      page('http://localhost:8080', answers),
    );
    expect(d).toMatchObject({ finding: 'network_error', reachable: true, cause: 'ERR_NETWORK' });
  });

  it('outside a browser: a plain network error with its cause, no probe', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network', cause: 'ECONNREFUSED' },
      undefined,
    );
    expect(d).toEqual({
      finding: 'network_error',
      apiUrl: API,
      targetOrigin: 'http://localhost:4000',
      cause: 'ECONNREFUSED',
    });
    expect((await diagnoseConnection({ apiUrl: API, kind: 'timeout' }, undefined)).finding).toBe(
      'api_timeout',
    );
  });

  it('in Node, the default environment is no browser', async () => {
    expect((await diagnoseConnection({ apiUrl: API, kind: 'network' })).finding).toBe(
      'network_error',
    );
  });
});
