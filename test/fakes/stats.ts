import type { FakeStats, RecordedRequest } from './types.ts';

export function emptyStats(): FakeStats {
  return {
    requests: 0,
    byStatus: {},
    rateLimited: 0,
    faults: { status: 0, hang: 0, delay: 0, truncate: 0, stall: 0, reset: 0 },
    cacheReads: 0,
    cacheWrites: 0,
    cachedTokens: 0,
    cacheCreationTokens: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
}

export function copyStats(stats: FakeStats): FakeStats {
  return { ...stats, byStatus: { ...stats.byStatus }, faults: { ...stats.faults } };
}

/** Recorded requests: all, none, or the most recent `limit`. */
export class RequestLog<T = RecordedRequest> {
  #limit: number;
  #items: T[] = [];

  constructor(record: boolean | number | undefined) {
    this.#limit = limitOf(record);
  }

  get enabled(): boolean {
    return this.#limit > 0;
  }

  setRecord(record: boolean | number | undefined): void {
    this.#limit = limitOf(record);
    this.#trim();
  }

  add(item: T): void {
    if (this.#limit <= 0) return;
    this.#items.push(item);
    // Trim in batches so a bounded log stays O(1) amortised per request.
    if (this.#items.length >= this.#limit * 2) this.#trim();
  }

  items(): readonly T[] {
    this.#trim();
    return this.#items;
  }

  clear(): void {
    this.#items = [];
  }

  #trim(): void {
    if (this.#items.length > this.#limit) this.#items = this.#items.slice(this.#items.length - this.#limit);
  }
}

function limitOf(record: boolean | number | undefined): number {
  if (record === undefined || record === true) return Number.POSITIVE_INFINITY;
  if (record === false) return 0;
  return Math.max(0, Math.floor(record));
}
