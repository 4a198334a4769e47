import { describe, expect, it, vi } from 'vitest';
import { type ServerEvent } from './realtime-types.js';
import { TopicRegistry } from './topic-registry.js';

const event = (topic: string): ServerEvent => ({
  type: 'event',
  topic,
  event: 'e',
  data: {},
  ts: 1,
});

describe('TopicRegistry', () => {
  it('says when a topic gains its first handler and loses its last', () => {
    const registry = new TopicRegistry();
    const [a, b] = [vi.fn(), vi.fn()];
    expect(registry.add('room:x', a)).toBe(true);
    expect(registry.add('room:x', b)).toBe(false);
    expect(registry.remove('room:x', a)).toBe(false);
    expect(registry.remove('room:x', a)).toBe(false); // already gone
    expect(registry.remove('room:x', b)).toBe(true);
    expect(registry.topics).toEqual([]);
  });

  it('groups topics by 20, one subscribe frame each', () => {
    const registry = new TopicRegistry();
    for (let i = 0; i < 41; i++) registry.add(`room:r${i}`, () => undefined);
    expect(registry.batches().map((batch) => batch.length)).toEqual([20, 20, 1]);
  });

  it('delivers to the topic’s handlers, and to the user’s on their own topic only; a throwing handler harms none', () => {
    const registry = new TopicRegistry();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const [topic, user] = [vi.fn(), vi.fn()];
    registry.add('user:1', () => {
      throw new Error('boom');
    });
    registry.add('user:1', topic);
    registry.addUserHandler(user);
    registry.deliver(event('user:1'), 'user:1');
    registry.deliver(event('user:1'), 'user:2');
    expect(topic).toHaveBeenCalledTimes(2);
    expect(user).toHaveBeenCalledOnce();
    expect(logged).toHaveBeenCalledTimes(2);
    logged.mockRestore();
  });
});
