import { FINDINGS } from '@repo/contracts';
import { describe, expect, it, vi } from 'vitest';
import {
  type BrowserEnvironment,
  CONNECTION_FINDINGS,
  diagnoseConnection,
  DOCTOR_HINT,
  type ProbeFetch,
} from './diagnose.js';

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

describe('CONNECTION_FINDINGS', () => {
  it('are the findings a browser can tell, with the shared codes', () => {
    expect([...CONNECTION_FINDINGS].sort()).toEqual([
      'api_timeout',
      'api_unreachable',
      'cors_blocked',
      'mixed_content',
      'network_error',
      'offline',
    ]);
  });
});

describe('diagnoseConnection', () => {
  it('reachable but the request failed: CORS, naming the exact origin to allow', async () => {
    const fetch = vi.fn<ProbeFetch>(() => Promise.resolve({}));
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network' },
      page('http://localhost:3001', fetch),
    );
    expect(d.finding).toBe('cors_blocked');
    expect(d.hint).toContain('add http://localhost:3001 to CORS_ORIGINS');
    expect(d.hint).toContain(DOCTOR_HINT);
    expect(d.pageOrigin).toBe('http://localhost:3001');
    // The probe: the API's health route, opaque, without cookies.
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]![0]).toBe(`${API}/health`);
    expect(fetch.mock.calls[0]![1]).toMatchObject({ mode: 'no-cors', credentials: 'omit' });
  });

  it('nothing answers: api_unreachable, naming the address and how to start the API', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network' },
      page('http://localhost:3000', refuses),
    );
    expect(d.finding).toBe('api_unreachable');
    expect(d.hint).toBe(`Is the API running at ${API}? ${FINDINGS.api_unreachable.fix}`);
    expect(d.hint).toContain('`pnpm dev`');
  });

  it('unreachable across sites also mentions CORS (the probe cannot tell them apart there)', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('http://127.0.0.1:3000', refuses),
    );
    expect(d.finding).toBe('api_unreachable');
    expect(d.hint).toContain('http://127.0.0.1:3000 is in CORS_ORIGINS');
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
    expect(d.finding).toBe('mixed_content');
    expect(d.hint).toContain('the API URL http://api.example.com/api/v1 is http');
    expect(d.hint.endsWith(FINDINGS.mixed_content.fix)).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('http://localhost from an https page is not mixed content (browsers trust loopback)', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('https://localhost:3000', answers),
    );
    expect(d.finding).toBe('cors_blocked');
  });

  it('offline, and timeouts, need no probe; their hints end with the shared fix', async () => {
    const fetch = vi.fn<ProbeFetch>(() => Promise.resolve({}));
    const offline = await diagnoseConnection(
      { apiUrl: API, kind: 'network' },
      page('http://localhost:3000', fetch, false),
    );
    expect(offline).toMatchObject({
      finding: 'offline',
      hint: `The browser is offline. ${FINDINGS.offline.fix}`,
    });
    const timeout = await diagnoseConnection(
      { apiUrl: API, kind: 'timeout' },
      page('http://localhost:3000', fetch, true),
    );
    expect(timeout).toMatchObject({
      finding: 'api_timeout',
      hint: `The API at ${API} did not answer in time. ${FINDINGS.api_timeout.fix}`,
    });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('a same-origin request cannot be a CORS problem', async () => {
    const d = await diagnoseConnection(
      { apiUrl: 'http://localhost:8080/api/v1', kind: 'network' },
      page('http://localhost:8080', answers),
    );
    expect(d.finding).toBe('network_error');
    expect(d.hint).toContain(DOCTOR_HINT);
  });

  it('outside a browser: a plain network error naming the cause, no probe', async () => {
    const d = await diagnoseConnection(
      { apiUrl: API, url: `${API}/users/me`, kind: 'network', cause: 'ECONNREFUSED' },
      undefined,
    );
    expect(d).toEqual({
      finding: 'network_error',
      hint: `Could not reach http://localhost:4000 (ECONNREFUSED): is the API running at ${API}?`,
      apiUrl: API,
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
