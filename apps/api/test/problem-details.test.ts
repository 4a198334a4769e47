import { PROBLEM_CONTENT_TYPE, problemDetailsSchema } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoFixtureModule } from './fixtures/echo.fixture.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('problem details (RFC 9457) for every error', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { API_BODY_LIMIT: '2048' }, imports: [EchoFixtureModule] });
  });
  afterAll(() => t.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${t.api}/fixtures/echo`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });

  /** Asserts the response is a well-formed problem and returns it. */
  const problem = async (res: Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const body = problemDetailsSchema.parse(await res.json());
    expect(body).toMatchObject({ status, code, type: `urn:problem:${code}` });
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
    return body;
  };

  it('accepts a valid body (the fixture route works)', async () => {
    const res = await post(JSON.stringify({ name: 'a', count: 1 }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: 'a', count: 1 });
  });

  it('400 validation_failed lists each invalid field', async () => {
    const res = await post(JSON.stringify({ name: '', count: -1, extra: true }));
    const body = await problem(res, 400, 'validation_failed');
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['', 'count', 'name']);
    expect(body.instance).toBe('/api/v1/fixtures/echo');
  });

  it('400 malformed_json for a body that is not JSON', async () => {
    const body = await problem(await post('{"name": "a",'), 400, 'malformed_json');
    expect(body.detail).toBe('The request body is not valid JSON.');
  });

  it('415 unsupported_media_type for a body that is not JSON', async () => {
    await problem(await post('name=a', 'text/plain'), 415, 'unsupported_media_type');
    await problem(
      await post('name=a', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    );
  });

  it('413 payload_too_large for a body over API_BODY_LIMIT', async () => {
    const res = await post(JSON.stringify({ name: 'x'.repeat(4096), count: 1 }));
    await problem(res, 413, 'payload_too_large');
  });

  it('404 not_found for an unknown route, under the prefix and outside it', async () => {
    await problem(await fetch(`${t.api}/no-such-route`), 404, 'not_found');
    await problem(await fetch(`${t.origin}/elsewhere`), 404, 'not_found');
  });

  it('keeps the status and code of an expected error thrown by a service', async () => {
    const body = await problem(await fetch(`${t.api}/fixtures/conflict`), 409, 'conflict');
    expect(body.detail).toBe('That name is taken.');
  });

  it('500 internal_error leaks nothing of the error, and logs it with its stack', async () => {
    const res = await fetch(`${t.api}/fixtures/boom`);
    const raw = await res.clone().text();
    const body = await problem(res, 500, 'internal_error');
    expect(body.detail).toBeUndefined();
    for (const secret of ['ECONNREFUSED', 'SELECT', 'password', '10.0.0.7', 'at ', '.ts']) {
      expect(raw).not.toContain(secret);
    }
    const logged = t.logs.find((l) =>
      (l.err as { message?: string } | undefined)?.message?.includes('ECONNREFUSED'),
    );
    expect((logged?.err as { stack?: string }).stack).toContain('boom');
  });
});
