import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimitHint } from '../../core/chat.ts';
import type { AdaptiveRate } from './adaptiveRate.ts';

export interface RateLimit {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** The provider's window; 60 s for every real provider, shorter in tests and benchmarks. */
  windowMs?: number;
}

interface Entry {
  at: number;
  tokens: number;
  /** The adaptive rate held it back: the rate is what limits the bucket now. */
  paced: boolean;
}

/**
 * A sliding-window limiter on requests and tokens per window. It is at least as
 * strict as the provider's own window: a request is admitted only when the
 * oldest request in the window left it `marginMs` ago, because the server stamps
 * a request when it arrives, later than we do. Requests are also paced
 * `window / limit` apart rather than sent a window's worth at once: a burst
 * reaches the server spread over the time it takes to serialise it, so its tail
 * would still be in the server's window when ours opens, and providers enforce
 * per-minute limits over shorter periods too.
 *
 * With an `adaptive` rate it also slows to what the server says (429s, rate-limit headers): with no limit row that
 * is the only limit; with one, the row stays the upper bound and the adaptive rate can only slow further.
 */
export class SlidingWindowLimiter {
  private readonly entries: Entry[] = [];
  private head = 0;
  private tokensInWindow = 0;
  private pausedUntil = 0;
  private lastAdmitted = -Infinity;
  private readonly windowMs: number;
  private readonly marginMs: number;
  /** Whether the row sets a limit to count entries against (else nothing is kept per request). */
  private readonly counted: boolean;

  constructor(private readonly limit: RateLimit, private readonly adaptive: AdaptiveRate | null = null) {
    this.windowMs = limit.windowMs ?? 60_000;
    this.marginMs = Math.min(250, Math.max(5, this.windowMs * 0.01));
    this.counted = limit.requestsPerMinute !== undefined || limit.tokensPerMinute !== undefined;
  }

  /** Waits until one request with about `tokens` tokens fits in the window, then records it. Returns a handle to correct the token count later. */
  async acquire(tokens: number, signal?: AbortSignal): Promise<Entry> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      const wait = Math.max(this.waitFor(now, tokens), this.adaptive?.waitFor(now) ?? -Infinity);
      if (wait <= 0) {
        const entry = { at: now, tokens, paced: this.adaptive?.admitted(now) ?? false };
        this.lastAdmitted = now;
        if (this.counted) {
          this.entries.push(entry);
          this.tokensInWindow += tokens;
        }
        return entry;
      }
      await sleep(wait, undefined, signal === undefined ? undefined : { signal });
    }
  }

  /** Replaces an estimate with the tokens the provider actually counted. */
  settle(entry: Entry, actualTokens: number): void {
    if (this.entries.indexOf(entry, this.head) === -1) return;
    this.tokensInWindow += actualTokens - entry.tokens;
    entry.tokens = actualTokens;
  }

  /** After a 429, admit nothing until the provider said it is ready. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** A request succeeded: count the tokens it used, and let the adaptive rate hear it and its headers. */
  succeeded(entry: Entry, actualTokens: number, hint: RateLimitHint | undefined): void {
    this.settle(entry, actualTokens);
    this.adaptive?.succeeded(entry.at, entry.paced, actualTokens, hint, Date.now());
  }

  /** A request got a 429: pause the whole bucket for its Retry-After and, when adaptive, slow it. */
  rateLimited(entry: Entry, retryAfterMs: number | null, hint: RateLimitHint | null): void {
    if (this.adaptive !== null) this.adaptive.rateLimited(entry.at, retryAfterMs, hint, Date.now());
    else if (retryAfterMs !== null) this.pauseFor(retryAfterMs);
  }

  private evict(now: number): void {
    const horizon = now - this.windowMs - this.marginMs;
    while (this.head < this.entries.length && this.entries[this.head].at <= horizon) {
      this.tokensInWindow -= this.entries[this.head].tokens;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Milliseconds until a request of `tokens` may go, or ≤ 0 when it may go now. */
  private waitFor(now: number, tokens: number): number {
    this.evict(now);
    let wait = this.pausedUntil - now;
    const inWindow = this.entries.length - this.head;
    const rpm = this.limit.requestsPerMinute;
    if (rpm !== undefined) wait = Math.max(wait, this.lastAdmitted + this.windowMs / rpm - now);
    if (rpm !== undefined && inWindow >= rpm) {
      const oldest = this.entries[this.head + inWindow - rpm];
      wait = Math.max(wait, oldest.at + this.windowMs + this.marginMs - now + 1);
    }
    const tpm = this.limit.tokensPerMinute;
    if (tpm !== undefined && this.tokensInWindow + tokens > tpm && inWindow > 0) {
      let excess = this.tokensInWindow + tokens - tpm;
      for (let i = this.head; i < this.entries.length && excess > 0; i++) {
        excess -= this.entries[i].tokens;
        wait = Math.max(wait, this.entries[i].at + this.windowMs + this.marginMs - now + 1);
      }
    }
    return wait;
  }
}

export type { Entry as LimiterEntry };
