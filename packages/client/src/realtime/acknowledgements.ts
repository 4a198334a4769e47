import { unrefTimer } from '../transport/backoff.js';
import { RealtimeError } from './realtime-error.js';

/** The promise of a `publish`, to settle once the server answers. */
export interface AwaitingAck {
  resolve: () => void;
  reject: (error: RealtimeError) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Frames sent with an id that await the server's answer, an `ack` or an `error` naming that id:
 * publishes (their promises, each with its timeout) and subscribes (their topics, so that a
 * refused subscription can be forgotten).
 */
export class Acknowledgements {
  private readonly publishes = new Map<string, AwaitingAck>();
  private readonly subscribes = new Map<string, string[]>();

  constructor(private readonly timeoutMs: number) {}

  /** A publish went out: it fails with `timeout` unless answered in time. */
  publishSent(id: string, awaiting: AwaitingAck): void {
    awaiting.timer = setTimeout(
      () => this.settle(id, new RealtimeError('timeout', `No ack within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    unrefTimer(awaiting.timer);
    this.publishes.set(id, awaiting);
  }

  subscribeSent(id: string, topics: string[]): void {
    this.subscribes.set(id, topics);
  }

  acked(id: string): void {
    this.subscribes.delete(id);
    this.settle(id);
  }

  /** An `error` frame for `id`: its publish fails; returns the topics of a refused subscribe. */
  refused(id: string, error: RealtimeError): string[] | undefined {
    const topics = this.subscribes.get(id);
    this.subscribes.delete(id);
    this.settle(id, error);
    return topics;
  }

  /** The connection is gone: no answer will come for anything sent on it. */
  abandon(error: RealtimeError): void {
    this.subscribes.clear();
    for (const id of [...this.publishes.keys()]) this.settle(id, error);
  }

  private settle(id: string, error?: RealtimeError): void {
    const awaiting = this.publishes.get(id);
    if (!awaiting) return;
    this.publishes.delete(id);
    clearTimeout(awaiting.timer);
    if (error) awaiting.reject(error);
    else awaiting.resolve();
  }
}
