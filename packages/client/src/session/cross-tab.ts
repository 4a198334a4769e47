import { type User } from '@repo/contracts';

/** The part of the Web Locks API (`navigator.locks`) used here. */
interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T> | T,
  ): Promise<T>;
}

/** A listener type checked bivariantly, so that the DOM's and Node's MessageEvent handlers fit. */
type MessageListener = { bivarianceHack(event: { data: unknown }): void }['bivarianceHack'];

/** The part of BroadcastChannel used here (the browser's and Node's both fit). */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  close(): void;
  onmessage: MessageListener | null;
}

type BroadcastChannelFactory = (name: string) => BroadcastChannelLike;

/** What tabs tell each other. Access tokens travel tab to tab in memory, never via storage. */
export type TabMessage =
  | {
      type: 'tokens';
      sender: string;
      accessToken: string;
      /** Milliseconds since the epoch. */
      expiresAt: number;
      /** The token's usable lifetime, in milliseconds. */
      ttlMs: number;
      user: User | null;
    }
  | { type: 'logout'; sender: string };

export interface CrossTabOptions {
  /** Defaults to `navigator.locks` when present. */
  locks?: LockManagerLike | undefined;
  /** Defaults to `new BroadcastChannel(name)` when present. */
  channel?: BroadcastChannelFactory | undefined;
}

interface Globals {
  navigator?: { locks?: LockManagerLike };
  BroadcastChannel?: new (name: string) => BroadcastChannelLike & { unref?: () => void };
}

/** The browser's Web Locks and BroadcastChannel, if this runtime has them. */
export function defaultCrossTab(): CrossTabOptions | undefined {
  const g = globalThis as unknown as Globals;
  const locks = g.navigator?.locks;
  const Channel = g.BroadcastChannel;
  if (!locks && !Channel) return undefined;
  return {
    locks,
    channel: Channel
      ? (name) => {
          const channel = new Channel(name);
          channel.unref?.(); // Node: do not keep the process alive
          return channel;
        }
      : undefined,
  };
}

const isTabMessage = (data: unknown): data is TabMessage =>
  typeof data === 'object' &&
  data !== null &&
  typeof (data as TabMessage).sender === 'string' &&
  ((data as TabMessage).type === 'tokens' || (data as TabMessage).type === 'logout');

/**
 * Coordination between the tabs of one browser: an exclusive lock (so that one tab refreshes
 * for all) and a channel (so that the others get its tokens, and hear of a logout). Either may
 * be missing; then each tab does its own work.
 */
export class CrossTab {
  readonly id = Math.random().toString(36).slice(2) + Date.now().toString(36);
  private readonly channel: BroadcastChannelLike | undefined;

  constructor(
    private readonly name: string,
    private readonly options: CrossTabOptions,
    onMessage: (message: TabMessage) => void,
  ) {
    this.channel = options.channel?.(name);
    if (this.channel) {
      this.channel.onmessage = (event) => {
        if (isTabMessage(event.data) && event.data.sender !== this.id) onMessage(event.data);
      };
    }
  }

  get hasLocks(): boolean {
    return this.options.locks !== undefined;
  }

  /** Runs `fn` holding the lock (waiting for it); without Web Locks, just runs it. */
  withLock<T>(fn: () => Promise<T>): Promise<T> {
    const locks = this.options.locks;
    return locks ? locks.request(this.name, {}, () => fn()) : fn();
  }

  /** Runs `fn` if the lock is free right now; `{ acquired: false }` if another tab holds it. */
  async tryLock<T>(
    fn: () => Promise<T>,
  ): Promise<{ acquired: true; value: T } | { acquired: false }> {
    const locks = this.options.locks;
    if (!locks) return { acquired: true, value: await fn() };
    return locks.request(this.name, { ifAvailable: true }, async (lock) =>
      lock ? { acquired: true as const, value: await fn() } : { acquired: false as const },
    );
  }

  /** Tells the other tabs (TabMessage minus the sender, which is filled in). */
  post(message: DistributiveOmit<TabMessage, 'sender'>): void {
    try {
      this.channel?.postMessage({ ...message, sender: this.id });
    } catch {
      // A closed channel: nobody to tell.
    }
  }

  close(): void {
    if (this.channel) {
      this.channel.onmessage = null;
      this.channel.close();
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
