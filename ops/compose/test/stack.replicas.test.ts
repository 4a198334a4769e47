import { NOTES_CHANGED } from '@repo/contracts';
import {
  connected,
  disposeClients,
  disposeRealtime,
  nextEvent,
  realtimeClient,
  userEvents,
} from '@repo/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { containerOf, docker, healthy, replicaUrl, stack, stateOf } from './support/compose.js';
import { verifiedUser } from './support/users.js';

const REPLICAS = ['api-1', 'api-2'];

/** The ids of the notes whose `created` event a client received. */
const createdIds = (events: ReturnType<typeof userEvents>) =>
  events
    .filter((e) => e.event === NOTES_CHANGED)
    .map((e) => e.data as { action: string; id: string })
    .filter((d) => d.action === 'created')
    .map((d) => d.id);

describe('compose stack: two API replicas', () => {
  afterAll(async () => {
    disposeRealtime();
    disposeClients();
    // Whatever was killed is back, healthy, for what runs next.
    for (const service of REPLICAS) {
      if ((await stateOf(service)).Status !== 'running')
        await docker('start', await containerOf(service));
      await healthy(service);
    }
  });

  it('delivers a WebSocket event through nginx whichever replica the change was made on', async () => {
    const { client, accessToken } = await verifiedUser();
    const rt = realtimeClient(client, stack.wsUrl);
    const events = userEvents(rt);
    await connected(rt);
    // Each replica directly, past nginx: the socket is on one of them, so one change crosses over.
    const made: string[] = [];
    for (const service of REPLICAS) {
      const res = await fetch(`${await replicaUrl(service)}/api/v1/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `on ${service}` }),
      });
      expect(res.status).toBe(201);
      made.push(((await res.json()) as { id: string }).id);
    }
    await expect.poll(() => createdIds(events).sort()).toEqual(made.sort());
  });

  it('keeps answering GETs and WebSocket clients while a replica is killed', async () => {
    const { client, accessToken } = await verifiedUser();
    const rt = realtimeClient(client, stack.wsUrl);
    const events = userEvents(rt);
    await connected(rt);

    const statuses: (number | string)[] = [];
    let killed = false;
    const getter = async () => {
      let afterKill = 0;
      while (afterKill < 100) {
        const wasKilled = killed;
        statuses.push(
          await fetch(`${stack.apiUrl}/users/me`, {
            headers: { authorization: `Bearer ${accessToken}` },
          }).then(
            async (res) => (await res.arrayBuffer(), res.status),
            (error: Error) => `error: ${error.message}`,
          ),
        );
        if (wasKilled) afterKill++;
      }
    };
    const killer = async () => {
      while (statuses.length < 30) await new Promise((resolve) => setTimeout(resolve, 5));
      await docker('kill', await containerOf('api-1'));
      killed = true;
    };
    await Promise.all([getter(), getter(), killer()]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // The socket is open again (or never closed) and carries the next event.
    if (rt.state !== 'open') await nextEvent(rt, 'ready');
    const note = await client.notes.create({ body: { title: 'after the kill' } });
    await expect.poll(() => createdIds(events)).toContain(note.id);
  });
});
