import { connect } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@repo/contracts';
import { postOversized } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAIN_MS } from '../src/core/http/drain-refused-body.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A request the API refuses before reading its body (too large, wrong type) must still get its
 * answer: Node's own fetch sends the whole body first, and an API that answers and closes
 * meanwhile resets the connection under it (a network error instead of the problem). 20 MB:
 * smaller bodies fit in the loopback's socket buffers and hide the failure here.
 */
const MB = 1024 * 1024;
const BIG = 20 * MB; // 20 × the default API_BODY_LIMIT (1 MB)
/** Gigabytes go through the loopback here: on a busy machine that takes longer than most tests. */
const TIMEOUT_MS = 180_000;

describe('refused uploads: the client receives the answer', { timeout: TIMEOUT_MS }, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('100 bodies over the limit, five at a time: 100 × 413, no network error', async () => {
    const url = `${t.api}/auth/login`;
    expect(await postOversized({ url, bytes: BIG, count: 100, concurrency: 5 })).toEqual({
      413: 100,
    });

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `"${'x'.repeat(2 * MB)}"`,
    });
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(problemDetailsSchema.parse(await res.json())).toMatchObject({
      status: 413,
      code: 'payload_too_large',
    });
  });

  it('a large upload without a token: the body limit answers first (413), under it a 401', async () => {
    // A route of the product itself (not the notes example, which a team may remove).
    const url = `${t.api}/api-keys`;
    expect(await postOversized({ url, bytes: BIG, count: 20, concurrency: 5 })).toEqual({
      413: 20,
    });
    // Authentication is checked once the body is in: just under the limit, it is read, then a 401.
    expect(await postOversized({ url, bytes: MB - 100, count: 20, concurrency: 5 })).toEqual({
      401: 20,
    });
  });

  it('a large body of another type: 415, no network error', async () => {
    const url = `${t.api}/auth/login`;
    expect(
      await postOversized({
        url,
        bytes: BIG,
        contentType: 'text/plain',
        count: 50,
        concurrency: 5,
      }),
    ).toEqual({ 415: 50 });
  });

  // The bound is the test's own timeout: an answer held much longer than DRAIN_MS fails it.
  it(
    'an endless body holds the answer DRAIN_MS at most, then the connection closes',
    { timeout: DRAIN_MS * 2 },
    async () => {
      const { port } = new URL(t.origin);
      const socket = connect({ host: '127.0.0.1', port: Number(port) });
      socket.on('error', () => undefined);
      socket.write(
        'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          'Transfer-Encoding: chunked\r\n\r\n',
      );
      const chunk = 'x'.repeat(64 * 1024);
      const feed = setInterval(
        () => socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`),
        10,
      );
      const answer = await new Promise<string>((resolve) => {
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (data: string) => (received += data));
        socket.on('close', () => resolve(received));
      });
      clearInterval(feed);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    },
  );
});
