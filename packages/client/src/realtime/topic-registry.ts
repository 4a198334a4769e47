import { type EventHandler, type ServerEvent } from './realtime-types.js';

/** The most topics one `subscribe` frame may carry (the contract's limit). */
const MAX_TOPICS_PER_FRAME = 20;

/**
 * The topics subscribed to and their handlers, plus the handlers of the user's own topic (joined
 * by the server, never subscribed to). A topic lives while it has a handler.
 */
export class TopicRegistry {
  private readonly handlers = new Map<string, Set<EventHandler>>();
  private readonly userHandlers = new Set<EventHandler>();

  get topics(): string[] {
    return [...this.handlers.keys()];
  }

  /** Every topic, in groups that each fit one `subscribe` frame. */
  batches(): string[][] {
    const topics = this.topics;
    const batches: string[][] = [];
    for (let i = 0; i < topics.length; i += MAX_TOPICS_PER_FRAME) {
      batches.push(topics.slice(i, i + MAX_TOPICS_PER_FRAME));
    }
    return batches;
  }

  /** Adds a handler; true when it is the topic's first (the topic is new). */
  add(topic: string, handler: EventHandler): boolean {
    const handlers = this.handlers.get(topic);
    if (handlers) {
      handlers.add(handler);
      return false;
    }
    this.handlers.set(topic, new Set([handler]));
    return true;
  }

  /** Removes a handler; true when it was the topic's last (the topic is gone). */
  remove(topic: string, handler: EventHandler): boolean {
    const handlers = this.handlers.get(topic);
    if (!handlers?.delete(handler) || handlers.size > 0) return false;
    this.handlers.delete(topic);
    return true;
  }

  /** Drops topics whatever their handlers (the server refused them). */
  forget(topics: string[]): void {
    for (const topic of topics) this.handlers.delete(topic);
  }

  addUserHandler(handler: EventHandler): () => void {
    this.userHandlers.add(handler);
    return () => this.userHandlers.delete(handler);
  }

  /** Hands an event to its topic's handlers, and to the user's when it is on `ownTopic`. */
  deliver(event: ServerEvent, ownTopic: string | undefined): void {
    for (const handler of [...(this.handlers.get(event.topic) ?? [])]) call(handler, event);
    if (event.topic === ownTopic) {
      for (const handler of [...this.userHandlers]) call(handler, event);
    }
  }
}

/** One handler's failure leaves the others, and the connection, unharmed. */
function call(handler: EventHandler, event: ServerEvent): void {
  try {
    handler(event);
  } catch (error) {
    console.error(`[@repo/client] a handler of ${event.topic} threw`, error);
  }
}
