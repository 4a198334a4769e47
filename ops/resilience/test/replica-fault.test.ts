import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiClient, type RealtimeClient, type ServerEvent } from '@repo/client';
import { NOTES_CHANGED } from '@repo/contracts';
import { NO_RATE_LIMITS, nginxForTests, type Stack, startStack } from '@repo/stack';
import {
  connected,
  disposeClients,
  disposeRealtime,
  realtimeClient,
  verifiedUser,
} from '@repo/test-support';
import autocannon from 'autocannon';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProblem } from './support/problem.js';
import { report } from './support/report.js';

/**
 * The production topology (nginx in front of two API processes) losing a replica to SIGKILL
 * under load: idempotent GETs keep succeeding (nginx retries them on the survivor), WebSocket
 * clients reconnect through nginx and resubscribe, and every note write the API acknowledged
 * (201) is in the database afterwards.
 */

const withNginx = nginxForTests(['test/replica-fault.test.ts']);

const USERS = 4;
const SOCKETS_PER_USER = 2;
const LOAD_SECONDS = 6;
const KILL_AFTER_MS = 2_000;
const ROOM = 'room:resilience';

interface Member {
  client: ApiClient;
  accessToken: string;
  userId: string;
  sockets: {
    rt: RealtimeClient;
    events: ServerEvent[];
    firstConnectionId: string;
    closed: number;
  }[];
}

describe.runIf(withNginx)('replica fault: an API replica SIGKILLed behind nginx under load', () => {
  let stack: Stack;
  const members: Member[] = [];

  beforeAll(async () => {
    stack = await startStack({
      apiFrom: 'dist',
      apiEnv: { ...NO_RATE_LIMITS, LOG_LEVEL: 'warn' },
    });
    for (let i = 0; i < USERS; i++) {
      const { client, accessToken, user } = await verifiedUser(stack.apiUrl);
      members.push({ client, accessToken, userId: user.id, sockets: [] });
    }
    // The sockets one after the other, nothing else in between: each nginx worker sends its
    // upgrades to the two replicas in turn, so both replicas hold some of them.
    for (const member of members) {
      for (let i = 0; i < SOCKETS_PER_USER; i++) {
        const rt = realtimeClient(member.client, stack.wsUrl);
        const events: ServerEvent[] = [];
        rt.on('event', (event) => events.push(event));
        rt.subscribe(ROOM, () => undefined);
        const { connectionId } = await connected(rt);
        const socket = { rt, events, firstConnectionId: connectionId, closed: 0 };
        rt.on('closed', () => socket.closed++);
        member.sockets.push(socket);
      }
    }
  });
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    await stack?.stop();
  });

  const sockets = () => members.flatMap((m) => m.sockets);

  /** Room messages from `from` until every other socket has one sent after `since`. */
  async function roomReachesAll(from: RealtimeClient, timeoutMs = 10_000) {
    const marker = randomUUID();
    const got = (s: { events: ServerEvent[] }) =>
      s.events.some(
        (e) =>
          e.topic === ROOM && (e.data as { data?: { marker?: string } }).data?.marker === marker,
      );
    const others = sockets().filter((s) => s.rt !== from);
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      await from.publish(ROOM, { marker });
      await sleep(300); // well within the per-connection message rate limit
      if (others.every(got)) return;
    }
    throw new Error(`${others.filter((s) => !got(s)).length} sockets got no room message`);
  }

  it('every socket is connected, subscribed to the room, and gets its events', async () => {
    expect(sockets()).toHaveLength(USERS * SOCKETS_PER_USER);
    await roomReachesAll(members[0]!.sockets[0]!.rt);
  });

  it('GETs keep succeeding, sockets come back, and no acknowledged write is lost', async () => {
    const [victim, survivor] = stack.replicas;
    const writes: {
      title: string;
      at: number;
      status: number | string;
      id?: string;
      wrong?: string;
    }[] = [];
    let killedAt = Infinity;
    const t0 = Date.now();
    let writing = true;

    /** Note creations one after the other, before, during and after the kill, by every user. */
    const writer = async (member: Member) => {
      for (let i = 0; writing; i++) {
        const title = `replica fault ${member.userId.slice(0, 8)} ${i}`;
        const at = Date.now() - t0;
        try {
          const res = await fetch(`${stack.apiUrl}/notes`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${member.accessToken}`,
              'content-type': 'application/json',
            },
            body: JSON.stringify({ title }),
            signal: AbortSignal.timeout(10_000),
          });
          const body = await res.text();
          const write: (typeof writes)[number] = { title, at, status: res.status };
          if (res.status === 201) write.id = (JSON.parse(body) as { id: string }).id;
          else {
            const parsed = parseProblem(res.status, res.headers.get('content-type'), body);
            if ('wrong' in parsed) write.wrong = parsed.wrong;
          }
          writes.push(write);
        } catch (error) {
          writes.push({ title, at, status: `error: ${(error as Error).message}` });
        }
      }
    };

    const closedBefore = sockets().map((s) => s.closed);
    const reads = autocannon({
      url: stack.apiUrl.replace(/\/api\/v1$/, ''),
      connections: 10,
      duration: LOAD_SECONDS,
      timeout: 10,
      requests: [
        { method: 'GET', path: '/api/v1/health' },
        {
          method: 'GET',
          path: '/api/v1/users/me',
          headers: { authorization: `Bearer ${members[0]!.accessToken}` },
        },
        {
          method: 'GET',
          path: '/api/v1/notes?pageSize=10',
          headers: { authorization: `Bearer ${members[1]!.accessToken}` },
        },
      ],
    });
    const writers = Promise.all(members.map(writer));

    await sleep(KILL_AFTER_MS);
    killedAt = Date.now() - t0;
    victim!.service.kill('SIGKILL');
    expect(await victim!.service.exited()).toBe('SIGKILL');

    const result = await reads;
    writing = false;
    await writers;

    const statuses = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([s, v]) => [s, v.count]),
    );
    const acknowledged = writes.filter((w) => w.status === 201);
    const refused = writes.filter((w) => w.status !== 201);
    report(
      `replica fault: GETs through nginx ${result.requests.total} in ${result.duration.toFixed(1)} s ` +
        `(replica killed at ${killedAt} ms): statuses ${JSON.stringify(statuses)}, ` +
        `errors ${result.errors}, timeouts ${result.timeouts}, p99 ${result.latency.p99} ms, ` +
        `max ${result.latency.max} ms; writes ${writes.length}: ${acknowledged.length} acknowledged ` +
        `(${acknowledged.filter((w) => w.at < killedAt).length} before the kill), ` +
        `${refused.length} refused ${JSON.stringify(refused.map((w) => w.status))}`,
    );

    // Idempotent GETs: every one answered 200, none failed or timed out.
    expect(result.errors, 'GET transport errors').toBe(0);
    expect(result.timeouts, 'GET timeouts').toBe(0);
    expect(result.non2xx, 'GET answers other than 2xx').toBe(0);
    expect(result.requests.total).toBeGreaterThan(500);

    // Writes: each either acknowledged or refused with a problem (the one in flight on the
    // killed replica), never a transport error; and there were writes on both sides of the kill.
    expect(writes.filter((w) => typeof w.status === 'string' || w.wrong)).toEqual([]);
    expect(refused.length).toBeLessThanOrEqual(USERS);
    expect(acknowledged.filter((w) => w.at < killedAt).length).toBeGreaterThan(10);
    expect(acknowledged.filter((w) => w.at > killedAt).length).toBeGreaterThan(10);

    // Every acknowledged write is in the database, exactly once; a refused one at most once.
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; title: string }>(
        'SELECT id, title FROM notes WHERE title LIKE $1',
        ['replica fault %'],
      );
      const ids = new Set(rows.map((r) => r.id));
      expect(
        acknowledged.filter((w) => !ids.has(w.id!)),
        'acknowledged but missing',
      ).toEqual([]);
      const copies = new Map<string, number>();
      for (const r of rows) copies.set(r.title, (copies.get(r.title) ?? 0) + 1);
      for (const w of writes) {
        if (w.status === 201) expect(copies.get(w.title), w.title).toBe(1);
        else expect(copies.get(w.title) ?? 0, w.title).toBeLessThanOrEqual(1);
      }
      report(
        `replica fault: ${rows.length} notes in the database for ${acknowledged.length} acknowledged writes`,
      );
    } finally {
      await db.end();
    }

    // The sockets on the killed replica closed and came back through nginx, on the survivor.
    const dropped = sockets().filter((s, i) => s.closed > closedBefore[i]!);
    await expect
      .poll(() => sockets().filter((s) => s.rt.state !== 'open').length, { timeout: 10_000 })
      .toBe(0);
    report(
      `replica fault: ${dropped.length} of ${sockets().length} sockets were on the killed replica ` +
        'and reconnected',
    );
    expect(dropped.length).toBeGreaterThan(0);
    for (const s of dropped) expect(s.rt.connectionId).not.toBe(s.firstConnectionId);
    expect(survivor!.service.running).toBe(true);
  });

  it('the sockets get events after the kill: their own notes.changed, and the room they resubscribed to', async () => {
    const notes = await Promise.all(
      members.map((member) => member.client.notes.create({ body: { title: 'after the kill' } })),
    );
    const got = (events: ServerEvent[], id: string) =>
      events.some((e) => e.event === NOTES_CHANGED && (e.data as { id?: string }).id === id);
    await expect
      .poll(() =>
        members.flatMap((member, i) =>
          member.sockets.filter((s) => !got(s.events, notes[i]!.id)).map(() => member.userId),
        ),
      )
      .toEqual([]);
    await roomReachesAll(members.at(-1)!.sockets.at(-1)!.rt);
  });
});
