import { describe, expect, it } from 'vitest';
import { liveStatusOf } from '@/lib/realtime-status';
import { fitsInPublish, parseRoomEvent, roomNameSchema } from './room';

describe('roomNameSchema', () => {
  it('takes the names the server takes, lower-cased', () => {
    expect(roomNameSchema.parse(' Lobby ')).toBe('lobby');
    expect(roomNameSchema.parse('team_a-1')).toBe('team_a-1');
  });

  it.each(['', 'a b', 'é', 'x'.repeat(65), 'room:x'])('refuses %j', (name) => {
    expect(roomNameSchema.safeParse(name).success).toBe(false);
  });
});

describe('parseRoomEvent', () => {
  it('reads a message event', () => {
    expect(
      parseRoomEvent({
        event: 'message',
        data: { from: 'u1', data: { text: 'hello', name: 'Ada', tab: 't1' } },
        ts: 1,
      }),
    ).toMatchObject({ fromUserId: 'u1', tab: 't1', name: 'Ada', text: 'hello', ts: 1 });
  });

  it('ignores what it does not understand', () => {
    expect(parseRoomEvent({ event: 'other', data: {}, ts: 1 })).toBeNull();
    expect(
      parseRoomEvent({ event: 'message', data: { from: 'u1', data: 'text' }, ts: 1 }),
    ).toBeNull();
    expect(
      parseRoomEvent({ event: 'message', data: { from: 'u1', data: { text: '' } }, ts: 1 }),
    ).toBeNull();
  });
});

describe('fitsInPublish', () => {
  it('counts bytes, not characters', () => {
    expect(fitsInPublish({ text: 'x'.repeat(1_000) })).toBe(true);
    expect(fitsInPublish({ text: '😀'.repeat(1_100) })).toBe(false);
  });
});

describe('liveStatusOf', () => {
  it('maps the client states to what the header shows', () => {
    expect(liveStatusOf('authenticating')).toBe('connecting');
    expect(liveStatusOf('open')).toBe('live');
    expect(liveStatusOf('reconnecting')).toBe('reconnecting');
    expect(liveStatusOf('idle')).toBe('offline');
  });
});
