import { createHash } from 'node:crypto';

export interface CacheOptions {
  /** How long an entry lives after its last write or read. */
  readonly ttlMs: number;
  /** Prefixes shorter than this are never cached. Default 1024, both providers' minimum. */
  readonly minTokens?: number;
  /**
   * A new entry becomes readable only this long after the request that wrote it (its prefill),
   * as on real providers: concurrent siblings of a cold prefix all miss. Default 0.
   */
  readonly writeDelayMs?: number;
}

/** A cacheable prefix: a key for its exact content and its cumulative token count. */
export interface CachePrefix {
  readonly key: string;
  readonly tokens: number;
}

export interface CacheUse {
  readonly readTokens: number;
  readonly writeTokens: number;
}

export const NO_CACHE_USE: CacheUse = { readTokens: 0, writeTokens: 0 };

const SWEEP_ABOVE_ENTRIES = 10_000;

/**
 * Prefix cache with a sliding TTL. A request looks up candidate prefixes (a read is the longest
 * live one, and refreshes it) and stores its breakpoint prefixes; the write is what the longest
 * stored prefix adds beyond the read.
 */
export class PrefixCache {
  readonly #ttlMs: number;
  readonly #minTokens: number;
  readonly #now: () => number;
  readonly #writeDelayMs: number;
  #expiries = new Map<string, number>();
  #readyAt = new Map<string, number>();
  #sweepAt = SWEEP_ABOVE_ENTRIES;

  constructor(options: CacheOptions, now: () => number = Date.now) {
    this.#ttlMs = options.ttlMs;
    this.#minTokens = options.minTokens ?? 1024;
    this.#writeDelayMs = options.writeDelayMs ?? 0;
    this.#now = now;
  }

  /** `lookups` and `stores` are in prompt order, so token counts never decrease along either. */
  use(lookups: readonly CachePrefix[], stores: readonly CachePrefix[]): CacheUse {
    const last = stores.at(-1);
    if (last === undefined || last.tokens < this.#minTokens) return NO_CACHE_USE;
    const now = this.#now();
    let readTokens = 0;
    for (let i = lookups.length - 1; i >= 0 && lookups[i].tokens >= this.#minTokens; i--) {
      if (this.#isLive(lookups[i].key, now)) {
        this.#expiries.set(lookups[i].key, now + this.#ttlMs);
        readTokens = lookups[i].tokens;
        break;
      }
    }
    if (this.#expiries.size >= this.#sweepAt) this.#sweep(now);
    for (const prefix of stores) {
      if (prefix.tokens < this.#minTokens) continue;
      if (this.#writeDelayMs > 0 && !this.#isLive(prefix.key, now) && !this.#readyAt.has(prefix.key)) this.#readyAt.set(prefix.key, now + this.#writeDelayMs);
      this.#expiries.set(prefix.key, now + this.#ttlMs);
    }
    return { readTokens, writeTokens: Math.max(0, last.tokens - readTokens) };
  }

  clear(): void {
    this.#expiries = new Map();
    this.#readyAt = new Map();
  }

  #isLive(key: string, now: number): boolean {
    const expiry = this.#expiries.get(key);
    if (expiry === undefined) return false;
    const ready = this.#readyAt.get(key);
    if (ready !== undefined) {
      if (ready > now) return false;
      this.#readyAt.delete(key);
    }
    if (expiry > now) return true;
    this.#expiries.delete(key);
    return false;
  }

  #sweep(now: number): void {
    for (const [key, expiry] of this.#expiries) {
      if (expiry <= now) {
        this.#expiries.delete(key);
        this.#readyAt.delete(key);
      }
    }
    this.#sweepAt = Math.max(SWEEP_ABOVE_ENTRIES, this.#expiries.size * 2);
  }
}

/** Keys for successive prefixes: each chains the previous key with the next part's content. */
export function chainPrefixes(scope: string, parts: readonly { content: string; tokens: number }[]): CachePrefix[] {
  const prefixes: CachePrefix[] = [];
  let key = scope;
  let tokens = 0;
  for (const part of parts) {
    key = createHash('sha1').update(key).update('\u0000').update(part.content).digest('base64');
    tokens += part.tokens;
    prefixes.push({ key, tokens });
  }
  return prefixes;
}
