import { afterEach, describe, expect, it, vi } from 'vitest';
import { Acknowledgements } from './acknowledgements.js';
import { RealtimeError } from './realtime-error.js';

afterEach(() => vi.useRealTimers());

const awaiting = () => ({ resolve: vi.fn(), reject: vi.fn() });

describe('Acknowledgements', () => {
  it('settles a publish on its ack, on its error, or after the timeout, once', () => {
    vi.useFakeTimers();
    const acks = new Acknowledgements(1_000);
    const [acked, refused, late] = [awaiting(), awaiting(), awaiting()];
    acks.publishSent('c1', acked);
    acks.publishSent('c2', refused);
    acks.publishSent('c3', late);
    acks.acked('c1');
    expect(acks.refused('c2', new RealtimeError('payload_too_large', 'too big'))).toBeUndefined();
    vi.advanceTimersByTime(1_000);
    acks.acked('c3'); // too late: already failed
    expect(acked.resolve).toHaveBeenCalledOnce();
    expect(refused.reject).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'payload_too_large' }),
    );
    expect(late.reject).toHaveBeenCalledWith(expect.objectContaining({ code: 'timeout' }));
    expect(late.resolve).not.toHaveBeenCalled();
  });

  it('names the topics of a refused subscribe, and forgets everything when the connection is lost', () => {
    const acks = new Acknowledgements(1_000);
    const pending = awaiting();
    acks.subscribeSent('c1', ['room:a']);
    acks.subscribeSent('c2', ['room:b']);
    acks.publishSent('c3', pending);
    expect(acks.refused('c1', new RealtimeError('forbidden_topic', 'no'))).toEqual(['room:a']);
    acks.abandon(new RealtimeError('connection_lost', 'gone'));
    expect(pending.reject).toHaveBeenCalledWith(
      expect.objectContaining({ code: 'connection_lost' }),
    );
    expect(acks.refused('c2', new RealtimeError('forbidden_topic', 'no'))).toBeUndefined();
  });
});
