/**
 * A FIFO queue that holds at most `capacity` items: pushing onto a full queue drops the oldest
 * item (and counts it). Used for what a client wants to send while it is disconnected.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`Queue capacity must be a whole number ≥ 0, got ${capacity}`);
    }
  }

  /** Adds an item; returns the item dropped to make room (or the item itself at capacity 0). */
  push(item: T): T | undefined {
    if (this.capacity === 0) {
      this.droppedTotal++;
      return item;
    }
    this.items.push(item);
    if (this.items.length <= this.capacity) return undefined;
    this.droppedTotal++;
    return this.items.shift();
  }

  /** Takes every item out, oldest first. */
  drain(): T[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  get size(): number {
    return this.items.length;
  }

  /** How many items were dropped since the queue was made. */
  get dropped(): number {
    return this.droppedTotal;
  }
}
