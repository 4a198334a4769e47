import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

describe('Emitter', () => {
  it('delivers typed payloads; on() returns its own off', () => {
    const events = new Emitter<{ n: number; s: string }>();
    const seen: unknown[] = [];
    const off = events.on('n', (n) => seen.push(n));
    events.once('s', (s) => seen.push(s));
    events.emit('n', 1);
    events.emit('s', 'a');
    events.emit('s', 'b');
    off();
    events.emit('n', 2);
    expect(seen).toEqual([1, 'a']);
    expect(events.listenerCount('n')).toBe(0);
  });

  it('keeps delivering when a listener throws', () => {
    const events = new Emitter<{ e: void }>();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const after = vi.fn();
    events.on('e', () => {
      throw new Error('boom');
    });
    events.on('e', after);
    events.emit('e', undefined);
    expect(after).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
  });
});
