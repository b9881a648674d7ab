// Ready work, highest priority first, first come first served among equals. A binary heap of the items
// themselves (no wrapper objects: tiny tasks are GC-bound). Items that stop being wanted (cancelled) are
// skipped when they reach the top.

export interface Queueable {
  /** Priority the item was (last) queued with, and its arrival order; set by the queue. */
  queuedPriority: number;
  seq: number;
}

export class ReadyQueue<T extends Queueable> {
  private heap: T[] = [];
  private seq = 0;

  constructor(private readonly isCurrent: (item: T) => boolean) {}

  push(item: T, priority: number): void {
    item.queuedPriority = priority;
    item.seq = this.seq++;
    this.heap.push(item);
    this.siftUp(this.heap.length - 1);
  }

  /**
   * Raises a queued item's priority (a task gained dependents after it was queued). A linear search:
   * raises happen while building DAGs, which are small next to the tiny-task floods the heap is for.
   */
  raise(item: T, priority: number): void {
    const index = this.heap.indexOf(item);
    if (index < 0 || priority <= item.queuedPriority) return;
    item.queuedPriority = priority;
    this.siftUp(index);
  }

  /** The best current item, discarding stale entries on the way. */
  /** Items waiting, counting cancelled ones not yet dropped: an upper bound. */
  get size(): number {
    return this.heap.length;
  }

  peek(): T | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (this.isCurrent(top)) return top;
      this.pop();
    }
    return undefined;
  }

  pop(): T | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  drain(): T[] {
    const items = this.heap;
    this.heap = [];
    return items;
  }

  private before(a: T, b: T): boolean {
    return a.queuedPriority > b.queuedPriority || (a.queuedPriority === b.queuedPriority && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const item = heap[i];
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(heap[right], heap[left]) ? right : left;
      if (!this.before(heap[child], item)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = item;
  }
}
