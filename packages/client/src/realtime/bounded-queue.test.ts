import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('keeps at most its capacity, dropping the oldest and counting the drops', () => {
    const queue = new BoundedQueue<number>(3);
    expect([1, 2, 3].map((n) => queue.push(n))).toEqual([undefined, undefined, undefined]);
    expect(queue.push(4)).toBe(1);
    expect(queue.push(5)).toBe(2);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(queue.drain()).toEqual([3, 4, 5]);
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(2);
  });

  it('never grows however much is pushed', () => {
    const queue = new BoundedQueue<number>(100);
    for (let i = 0; i < 10_000; i++) queue.push(i);
    expect(queue.size).toBe(100);
    expect(queue.dropped).toBe(9_900);
    expect(queue.drain()[0]).toBe(9_900);
  });

  it('with capacity 0 drops everything', () => {
    const queue = new BoundedQueue<string>(0);
    expect(queue.push('a')).toBe('a');
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(1);
  });

  it('refuses a capacity that is not a whole number', () => {
    expect(() => new BoundedQueue(-1)).toThrow(RangeError);
    expect(() => new BoundedQueue(1.5)).toThrow(RangeError);
  });
});
