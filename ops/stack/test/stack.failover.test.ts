import { type Note, NOTES_CHANGED } from '@repo/contracts';
import {
  connected,
  disposeClients,
  disposeRealtime,
  nextEvent,
  realtimeClient,
  userEvents,
  verifiedUser,
} from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ApiReplica, NO_RATE_LIMITS, type Stack, startStack } from '../src/index.js';
import { logEntries, routedTo, upstreamAddress, upstreamsOf } from './support/access-log.js';
import { headerValues, rawRequest } from './support/raw-request.js';

/**
 * The production topology losing an API replica: nginx in front of two API processes, one of
 * them killed without warning (SIGKILL, as a crash or an OOM kill would). Clients must not notice
 * more than a reconnect.
 */
describe('stack failover: an API replica killed behind nginx', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      apiFrom: 'source',
      apiEnv: { ...NO_RATE_LIMITS, LOG_LEVEL: 'warn' },
    });
  });
  afterEach(async () => {
    disposeRealtime();
    disposeClients();
    // Whatever a test killed is back for the next one.
    await Promise.all(stack.replicas.filter((r) => !r.service.running).map((r) => r.start()));
  });
  afterAll(() => stack?.stop());

  /** The `/ws` requests nginx logged (it logs one when its socket closes). */
  const wsEntries = (count: number) =>
    logEntries(stack, (e) => e.path === '/ws' && e.status === 101, count, 10_000);

  /**
   * Starts an API replica twice, each a cold start from source: on a machine busy with other work
   * that alone can take most of the suite's 60 s, so this test's bound is the hooks' (180 s).
   * Every wait inside is on an event or a condition.
   */
  const RESTARTING = 180_000;

  it(
    'a WebSocket client connected through nginx keeps receiving events while one API replica is killed',
    async () => {
      const { client, user } = await verifiedUser(stack.apiUrl);
      const [holder, other] = stack.replicas as [ApiReplica, ApiReplica];

      // Place the socket on `holder`: with `other` stopped, nginx can only send the upgrade there.
      await other.service.stop();
      const rt = realtimeClient(client, stack.wsUrl);
      const events = userEvents(rt);
      const first = await connected(rt);
      expect(first.userId).toBe(user.id);
      await other.start();
      await routedTo(stack, other); // both replicas serve again

      /** The ids of the `created` notes.changed events received, sorted (replicas may interleave). */
      const createdIds = () =>
        events
          .filter((e) => e.event === NOTES_CHANGED)
          .map((e) => e.data as { action: string; id: string })
          .filter((d) => d.action === 'created')
          .map((d) => d.id)
          .sort();
      const idsOf = (notes: Note[]) => notes.map((n) => n.id).sort();

      const before: Note[] = [];
      for (let i = 0; i < 3; i++)
        before.push(await client.notes.create({ body: { title: `before ${i}` } }));
      await expect.poll(createdIds).toEqual(idsOf(before));

      const closed = nextEvent(rt, 'closed');
      const reopened = nextEvent(rt, 'ready', (r) => r.connectionId !== first.connectionId);
      holder.service.kill('SIGKILL');
      expect(await holder.service.exited()).toBe('SIGKILL');
      expect((await closed).willReconnect).toBe(true);
      const second = await reopened;
      expect(second.userId).toBe(user.id);
      expect(rt.state).toBe('open');

      // nginx logged the first socket when it closed: it was indeed on the killed replica.
      const [firstSocket] = await wsEntries(1);
      expect(upstreamsOf(firstSocket!).at(-1)).toBe(upstreamAddress(holder));

      // Every note created after the reconnect is announced on the new socket, none missed.
      const after: Note[] = [];
      for (let i = 0; i < 10; i++)
        after.push(await client.notes.create({ body: { title: `after ${i}` } }));
      await expect
        .poll(() => createdIds().filter((id) => after.some((n) => n.id === id)))
        .toEqual(idsOf(after));
      expect(createdIds()).toEqual(idsOf([...before, ...after])); // each exactly once

      // Nothing written before the kill was lost.
      const page = await client.notes.list({ query: { pageSize: 100 } });
      expect(page.total).toBe(13);
      expect(idsOf(page.data)).toEqual(idsOf([...before, ...after]));

      // The new socket lived on the survivor (logged once it closes).
      rt.close();
      const [, secondSocket] = await wsEntries(2);
      expect(upstreamsOf(secondSocket!).at(-1)).toBe(upstreamAddress(other));

      // The killed replica comes back and nginx sends it traffic again.
      await holder.start();
      await routedTo(stack, holder);
      const direct = await fetch(`${holder.url}/api/v1/health/ready`);
      expect(direct.status).toBe(200);
    },
    RESTARTING,
  );

  it('HTTP GETs keep succeeding while a replica is down, and no POST is executed twice', async () => {
    const { client, accessToken } = await verifiedUser(stack.apiUrl);
    const victim = stack.replicas[0]!;
    await routedTo(stack, victim);

    const gets: { path: string; status: number | string }[] = [];
    const posts: { title: string; status: number | string; code?: string }[] = [];
    let killed = false;
    const getPaths = ['/health', '/users/me'];

    /** GETs in a steady stream until `stopAfter` have been answered after the kill. */
    const getter = async (worker: number) => {
      for (let i = 0; ; i++) {
        const path = getPaths[(i + worker) % getPaths.length]!;
        const afterKill = killed;
        const status = await rawRequest(`${stack.apiUrl}${path}`, {
          headers: { authorization: `Bearer ${accessToken}` },
        }).then(
          (res) => res.status,
          (error: Error) => `error: ${error.message}`,
        );
        gets.push({ path, status });
        if (afterKill && gets.length >= 300) return;
      }
    };
    /** Note creations, one after the other, before, during and after the kill. */
    const poster = async () => {
      for (let i = 0; i < 40; i++) {
        const title = `post ${i}`;
        const res = await rawRequest(`${stack.apiUrl}/notes`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ title }),
        }).catch((error: Error) => error);
        if (res instanceof Error) posts.push({ title, status: `error: ${res.message}` });
        else {
          const code =
            res.status === 201 ? undefined : (JSON.parse(res.body) as { code: string }).code;
          posts.push({ title, status: res.status, code });
          if (res.status !== 201)
            expect(headerValues(res, 'content-type')[0]).toMatch(/^application\/problem\+json/);
        }
      }
    };
    const killer = async () => {
      while (gets.length < 60 || posts.length < 10) await new Promise((r) => setTimeout(r, 5));
      victim.service.kill('SIGKILL');
      killed = true;
      await victim.service.exited();
    };

    await Promise.all([getter(0), getter(1), getter(2), poster(), killer()]);

    // Every GET succeeded: nginx retried the ones the dead replica failed on the other one.
    expect(gets.filter((g) => g.status !== 200)).toEqual([]);
    expect(gets.length).toBeGreaterThanOrEqual(300);

    // A POST is sent to one replica at most: either it was answered 201, or (in flight on the
    // killed replica) nginx answered its service_unavailable problem without retrying it
    // elsewhere. (Its HTTP status is nginx.problems.test.ts's concern.)
    for (const post of posts.filter((p) => p.status !== 201))
      expect(post, JSON.stringify(post)).toMatchObject({ code: 'service_unavailable' });
    const notes = (await client.notes.list({ query: { pageSize: 100 } })).data;
    const countOf = (title: string) => notes.filter((n) => n.title === title).length;
    for (const post of posts) {
      if (post.status === 201) expect(countOf(post.title), post.title).toBe(1);
      else expect(countOf(post.title), post.title).toBeLessThanOrEqual(1);
    }
    expect(notes.length).toBeLessThanOrEqual(posts.length);

    // With the replica down for good, N creations make exactly N notes: nginx moves a POST to
    // the other replica only when the dead one refused the connection (nothing was sent).
    expect(victim.service.running).toBe(false);
    const whileDown: Note[] = [];
    for (let i = 0; i < 10; i++)
      whileDown.push(await client.notes.create({ body: { title: `while down ${i}` } }));
    const all = (await client.notes.list({ query: { pageSize: 100 } })).data;
    expect(all).toHaveLength(notes.length + 10);
    for (const note of whileDown) expect(all.filter((n) => n.title === note.title)).toHaveLength(1);
  });
});
