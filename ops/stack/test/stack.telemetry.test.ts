import { randomBytes } from 'node:crypto';
import { NOTES_CHANGED } from '@repo/contracts';
import {
  connected,
  disposeClients,
  disposeRealtime,
  type OtlpReceiver,
  type ReceivedSpan,
  realtimeClient,
  startOtlpReceiver,
  userEvents,
  verifiedUser,
} from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, type Stack, startStack } from '../src/index.js';

/**
 * Tracing through the production topology: a client sends its W3C `traceparent` through nginx
 * to one of two API replicas, and the API's spans (the request, its SQL statements, the realtime
 * publish and each replica's dispatch) reach an OTLP endpoint as one trace under the client's
 * span; the request's log line names the trace. Spans carry statements, never their values.
 */

const POLL = { timeout: 30_000, interval: 200 };
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('stack telemetry: one trace from the client through nginx and the API', () => {
  let stack: Stack;
  let receiver: OtlpReceiver;
  const lines: string[] = [];
  /** The trace context the client sends with its next requests. */
  let traceparent: string | undefined;
  const traceHeaders = () => (traceparent ? { traceparent } : undefined);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    stack = await startStack({
      apiFrom: 'source',
      apiEnv: {
        ...NO_RATE_LIMITS,
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      },
      sink: (source, line) => {
        if (source.startsWith('api')) lines.push(line);
      },
    });
  });
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    await stack?.stop();
    await receiver?.close();
  });

  const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
  const named = (spans: ReceivedSpan[], name: string) => spans.filter((s) => s.name === name);

  /** The spans of a trace as an indented tree, for the test's output. */
  function tree(spans: ReceivedSpan[], parent?: string, depth = 0): string[] {
    return spans
      .filter(
        (s) =>
          s.parentSpanId === parent || (!parent && !spans.some((p) => p.spanId === s.parentSpanId)),
      )
      .flatMap((s) => [`${'  '.repeat(depth)}${s.name}`, ...tree(spans, s.spanId, depth + 1)]);
  }

  it('a PATCH /notes/:id sent with a traceparent is one trace: request, SQL, publish, both replicas’ dispatch', async () => {
    const { client, user } = await verifiedUser(stack.apiUrl, {
      traceHeaders,
    });
    // A socket on each replica's side of the bus: the event reaches the other through PostgreSQL.
    const rt = realtimeClient(client, stack.wsUrl);
    const events = userEvents(rt);
    expect((await connected(rt)).userId).toBe(user.id);

    const secret = `title-${hex(8)}`;
    const note = await client.notes.create({ body: { title: 'to change' } });
    const traceId = hex(16);
    const callerSpanId = hex(8);
    traceparent = `00-${traceId}-${callerSpanId}-01`;
    await client.notes.update({
      params: { id: note.id },
      body: { title: secret, version: note.version },
    });
    traceparent = undefined;
    await expect
      .poll(() => events.filter((e) => e.event === NOTES_CHANGED).length, POLL)
      .toBeGreaterThanOrEqual(2);

    // Both replicas dispatch: the one that served the PATCH, the other on NOTIFY.
    await expect
      .poll(() => named(inTrace(traceId), `realtime dispatch ${NOTES_CHANGED}`).length, POLL)
      .toBe(2);
    const spans = inTrace(traceId);
    // eslint-disable-next-line no-console -- the span tree is this test's figure, kept in CI's log
    console.log(`spans of one traced PATCH /notes/:id:\n${tree(spans).join('\n')}`);

    const [server] = named(spans, 'PATCH /api/v1/notes/:id');
    expect(server, 'the server span').toBeDefined();
    expect(server!.parentSpanId, 'a child of the caller’s span').toBe(callerSpanId);
    expect(server!.kind).toBe(2);
    expect(server!.attributes).toMatchObject({
      'http.request.method': 'PATCH',
      'http.route': '/api/v1/notes/:id',
      'url.path': `/api/v1/notes/${note.id}`,
      'http.response.status_code': 200,
    });

    const statements = spans.filter(
      (s) => s.attributes['db.system.name'] ?? s.attributes['db.system'],
    );
    const text = (s: ReceivedSpan) =>
      String(s.attributes['db.query.text'] ?? s.attributes['db.statement']);
    expect(
      statements.some((s) => /^UPDATE "?notes"?/i.test(text(s))),
      'the UPDATE of the note',
    ).toBe(true);
    const ids = new Set(spans.map((s) => s.spanId));
    for (const statement of statements) expect(ids.has(statement.parentSpanId!)).toBe(true);

    const [publish] = named(spans, `realtime publish ${NOTES_CHANGED}`);
    expect(publish?.kind).toBe(4);
    for (const dispatch of named(spans, `realtime dispatch ${NOTES_CHANGED}`)) {
      expect(dispatch.parentSpanId).toBe(publish!.spanId);
      expect(dispatch.kind).toBe(5);
    }

    // Statements travel as text with placeholders: no value, no token, reaches the endpoint.
    const exported = receiver.bodies.join('\n');
    expect(exported).not.toContain(secret);
    expect(exported).not.toContain(client.accessToken!);

    // The request's log line names its trace and span, and the same request id as the span.
    const line = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.trace_id === traceId && l.msg === 'request completed');
    expect(line, 'the request log line with trace_id').toBeDefined();
    expect(line!.span_id).toBe(server!.spanId);
    expect((line!.req as { id: string }).id).toBe(server!.attributes['http.request.id']);
  });

  it('a job queued by a traced request runs in its trace: the job’s span under the request', async () => {
    const { user } = await verifiedUser(stack.apiUrl, { traceHeaders });
    const traceId = hex(16);
    const res = await fetch(`${stack.apiUrl}/auth/request-password-reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${hex(8)}-01` },
      body: JSON.stringify({ email: user.email }),
    });
    expect(res.status).toBe(202);

    // The reset email's delivery job, run by either replica's worker.
    await expect.poll(() => named(inTrace(traceId), 'job mail.deliver').length, POLL).toBe(1);
    const spans = inTrace(traceId);
    // eslint-disable-next-line no-console -- the span tree is this test's figure, kept in CI's log
    console.log(`spans of a traced request that queued a job:\n${tree(spans).join('\n')}`);
    const [job] = named(spans, 'job mail.deliver');
    expect(job!.kind).toBe(5);
    expect(job!.attributes).toMatchObject({ 'job.name': 'mail.deliver', 'job.attempt': 1 });
    expect(named(spans, 'POST /api/v1/auth/request-password-reset')).toHaveLength(1);
    // Its parent is a span of the request's trace: the request or one of its children.
    expect(spans.map((s) => s.spanId)).toContain(job!.parentSpanId);
  });

  it('a request whose caller decided not to sample (flags 00) makes no span', async () => {
    const { client } = await verifiedUser(stack.apiUrl, {
      traceHeaders,
    });
    const unsampled = hex(16);
    traceparent = `00-${unsampled}-${hex(8)}-00`;
    await client.users.me();
    // Each replica exports its spans in the order they end: once both have exported a span of a
    // later request, a span of the unsampled one would be in too.
    const later = new Set<string>();
    await expect
      .poll(async () => {
        const traceId = hex(16);
        later.add(traceId);
        traceparent = `00-${traceId}-${hex(8)}-01`;
        await client.users.me();
        return new Set(receiver.spans.filter((s) => later.has(s.traceId)).map((s) => s.instance))
          .size;
      }, POLL)
      .toBe(2);
    traceparent = undefined;
    expect(inTrace(unsampled)).toEqual([]);
  });
});
