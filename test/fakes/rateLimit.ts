export interface RateLimitOptions {
  readonly requestsPerMinute?: number;
  /** Each request costs its prompt estimate plus the output tokens it asks for (max_tokens). */
  readonly tokensPerMinute?: number;
  /** Prompt tokens alone, as Anthropic limits input tokens per minute (ITPM). */
  readonly inputTokensPerMinute?: number;
  /** The output tokens a request asks for (max_tokens), as Anthropic estimates output tokens per minute (OTPM) on admission. */
  readonly outputTokensPerMinute?: number;
  /** The "minute"; shorten it in tests. Default 60000. */
  readonly windowMs?: number;
  /**
   * What the client is told (OpenAI fake): 'all' (default) the provider's rate-limit headers on every reply and
   * retry-after (and retry-after-ms) on a 429; 'retry-after' only retry-after in whole seconds on a 429, as a
   * generic compatible server or a proxy in front of vLLM tells it.
   */
  readonly advertise?: 'all' | 'retry-after';
}

/** The limits a request can exceed, in the order a tie is reported. */
export const LIMIT_NAMES = ['requests', 'tokens', 'input_tokens', 'output_tokens'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** What the limiter decided, with everything the provider's rate-limit headers need. */
export interface RateLimitVerdict {
  readonly allowed: boolean;
  /** When rejected: ms until enough capacity frees for this request. */
  readonly retryAfterMs: number;
  /** Which limit rejected it. */
  readonly exceeded: LimitName | undefined;
  /** The state of each configured limit after this request; absent for limits not configured. */
  readonly limits: Partial<Record<LimitName, LimitState>>;
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

/** One configured limit: its ceiling, and what each admitted request in the window cost it. */
interface Meter {
  readonly name: LimitName;
  readonly limit: number;
  readonly costs: number[];
  used: number;
}

/** Sliding-window limiter over admitted requests; rejected requests do not count. */
export class SlidingWindowLimiter {
  readonly #meters: Meter[];
  readonly #windowMs: number;
  readonly #now: () => number;
  #times: number[] = [];
  #head = 0;

  constructor(options: RateLimitOptions, now: () => number = Date.now) {
    const limits: Record<LimitName, number | undefined> = {
      requests: options.requestsPerMinute,
      tokens: options.tokensPerMinute,
      input_tokens: options.inputTokensPerMinute,
      output_tokens: options.outputTokensPerMinute,
    };
    this.#meters = LIMIT_NAMES.flatMap((name) => {
      const limit = limits[name];
      return limit === undefined ? [] : [{ name, limit, costs: [], used: 0 }];
    });
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = now;
  }

  /** Admits a request of `inputTokens` prompt tokens asking for up to `outputTokens`, or says how long to wait. */
  admit(inputTokens: number, outputTokens = 0): RateLimitVerdict {
    const now = this.#now();
    this.#evict(now);
    const cost: Record<LimitName, number> = { requests: 1, tokens: inputTokens + outputTokens, input_tokens: inputTokens, output_tokens: outputTokens };
    let wait = 0;
    let exceeded: LimitName | undefined;
    for (const meter of this.#meters) {
      const meterWait = this.#wait(meter, now, cost[meter.name]);
      if (meterWait > wait) {
        wait = meterWait;
        exceeded = meter.name;
      }
    }
    const allowed = wait <= 0;
    if (allowed) {
      this.#times.push(now);
      for (const meter of this.#meters) {
        meter.costs.push(cost[meter.name]);
        meter.used += cost[meter.name];
      }
    }
    const limits: Partial<Record<LimitName, LimitState>> = {};
    for (const meter of this.#meters) limits[meter.name] = this.#state(meter, now);
    return { allowed, retryAfterMs: allowed ? 0 : wait, exceeded, limits };
  }

  clear(): void {
    this.#times = [];
    this.#head = 0;
    for (const meter of this.#meters) {
      meter.costs.length = 0;
      meter.used = 0;
    }
  }

  #expiry(time: number): number {
    return time + this.#windowMs - CLOCK_SLACK_MS;
  }

  #evict(now: number): void {
    while (this.#head < this.#times.length && this.#expiry(this.#times[this.#head]) <= now) {
      for (const meter of this.#meters) meter.used -= meter.costs[this.#head];
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#times.length) {
      this.#times = this.#times.slice(this.#head);
      for (const meter of this.#meters) meter.costs.splice(0, this.#head);
      this.#head = 0;
    }
  }

  /** ms until `cost` more fits under the meter: when enough of the oldest usage has left the window. */
  #wait(meter: Meter, now: number, cost: number): number {
    if (meter.used + cost <= meter.limit) return 0;
    if (cost > meter.limit) return this.#windowMs;
    let used = meter.used;
    for (let i = this.#head; i < this.#times.length; i++) {
      used -= meter.costs[i];
      if (used + cost <= meter.limit) return this.#expiry(this.#times[i]) - now;
    }
    return this.#windowMs;
  }

  #state(meter: Meter, now: number): LimitState {
    // fully replenished once the newest request that used this limit leaves the window
    let newest: number | undefined;
    for (let i = this.#times.length - 1; i >= this.#head && newest === undefined; i--) if (meter.costs[i] > 0) newest = this.#times[i];
    return {
      limit: meter.limit,
      remaining: Math.max(0, meter.limit - meter.used),
      resetMs: newest === undefined ? 0 : Math.max(0, this.#expiry(newest) - now),
    };
  }
}
