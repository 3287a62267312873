export interface RateLimitOptions {
  readonly requestsPerMinute?: number;
  /** Each request costs its prompt estimate plus the output tokens it asks for (max_tokens). */
  readonly tokensPerMinute?: number;
  /** The "minute"; shorten it in tests. Default 60000. */
  readonly windowMs?: number;
}

/** What the limiter decided, with everything the provider's rate-limit headers need. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** When rejected: ms until enough capacity frees for this request. */
  readonly retryAfterMs: number;
  /** Which limit rejected it. */
  readonly exceeded: 'requests' | 'tokens' | undefined;
  readonly requests: LimitState | undefined;
  readonly tokens: LimitState | undefined;
}

export interface LimitState {
  readonly limit: number;
  readonly remaining: number;
  /** ms until all current usage has left the window. */
  readonly resetMs: number;
}

// Node timers may fire a millisecond early against Date.now(); a client that sleeps exactly
// the advertised retry-after must not be rejected again for that.
const CLOCK_SLACK_MS = 2;

/** Sliding-window limiter over admitted requests; rejected requests do not count. */
export class SlidingWindowLimiter {
  readonly #requestsLimit: number | undefined;
  readonly #tokensLimit: number | undefined;
  readonly #windowMs: number;
  readonly #now: () => number;
  #times: number[] = [];
  #costs: number[] = [];
  #head = 0;
  #usedTokens = 0;

  constructor(options: RateLimitOptions, now: () => number = Date.now) {
    this.#requestsLimit = options.requestsPerMinute;
    this.#tokensLimit = options.tokensPerMinute;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = now;
  }

  admit(tokens: number): RateLimitVerdict {
    const now = this.#now();
    this.#evict(now);
    const requestWait = this.#requestWait(now);
    const tokenWait = this.#tokenWait(now, tokens);
    const wait = Math.max(requestWait, tokenWait);
    const allowed = wait <= 0;
    if (allowed) {
      this.#times.push(now);
      this.#costs.push(tokens);
      this.#usedTokens += tokens;
    }
    return {
      allowed,
      retryAfterMs: allowed ? 0 : wait,
      exceeded: allowed ? undefined : requestWait >= tokenWait ? 'requests' : 'tokens',
      requests: this.#state(now, this.#requestsLimit, this.#times.length - this.#head),
      tokens: this.#state(now, this.#tokensLimit, this.#usedTokens),
    };
  }

  clear(): void {
    this.#times = [];
    this.#costs = [];
    this.#head = 0;
    this.#usedTokens = 0;
  }

  #expiry(time: number): number {
    return time + this.#windowMs - CLOCK_SLACK_MS;
  }

  #evict(now: number): void {
    while (this.#head < this.#times.length && this.#expiry(this.#times[this.#head]) <= now) {
      this.#usedTokens -= this.#costs[this.#head];
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      this.#costs = this.#costs.slice(this.#head);
      this.#head = 0;
    }
  }

  #requestWait(now: number): number {
    const limit = this.#requestsLimit;
    if (limit === undefined) return 0;
    if (limit <= 0) return this.#windowMs;
    const inWindow = this.#times.length - this.#head;
    if (inWindow < limit) return 0;
    return this.#expiry(this.#times[this.#head + inWindow - limit]) - now;
  }

  #tokenWait(now: number, tokens: number): number {
    const limit = this.#tokensLimit;
    if (limit === undefined || this.#usedTokens + tokens <= limit) return 0;
    if (tokens > limit) return this.#windowMs;
    let used = this.#usedTokens;
    for (let i = this.#head; i < this.#times.length; i++) {
      used -= this.#costs[i];
      if (used + tokens <= limit) return this.#expiry(this.#times[i]) - now;
    }
    return this.#windowMs;
  }

  #state(now: number, limit: number | undefined, used: number): LimitState | undefined {
    if (limit === undefined) return undefined;
    const newest = this.#times.at(-1);
    const active = this.#head < this.#times.length && newest !== undefined;
    return {
      limit,
      remaining: Math.max(0, limit - used),
      resetMs: active ? Math.max(0, this.#expiry(newest) - now) : 0,
    };
  }
}
