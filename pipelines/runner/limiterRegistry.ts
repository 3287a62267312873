import { AdaptiveRate, ADAPTIVE_RATE_DEFAULTS, type AdaptiveRateSettings } from './adaptiveRate.ts';
import { SlidingWindowLimiter, type RateLimit } from './rateLimiter.ts';

export interface LimiterRegistryOptions {
  /** false: limit only by the limits rows and pause on a 429's Retry-After, as before the adaptive rate (a benchmark's baseline). Default true. */
  adaptive?: boolean;
  adaptiveSettings?: AdaptiveRateSettings;
}

/**
 * The rate limiters of one process (one command), one per (endpoint, model, key) bucket and its limit row: every run
 * given the same registry waits on the same limiter, so parallel runs of a sweep share the provider's limit (and
 * what a 429 taught about it) instead of each taking all of it. The command creates it and passes it to its runs.
 */
export class LimiterRegistry {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  constructor(private readonly options: LimiterRegistryOptions = {}) {}

  /** The limiter of a bucket and its limit, created on first use. */
  limiterFor(key: string, limit: RateLimit): SlidingWindowLimiter {
    const id = `${key}|${limit.requestsPerMinute ?? ''}|${limit.tokensPerMinute ?? ''}|${limit.windowMs ?? ''}`;
    let limiter = this.limiters.get(id);
    if (limiter === undefined) {
      const adaptive = this.options.adaptive === false ? null : new AdaptiveRate(this.options.adaptiveSettings ?? ADAPTIVE_RATE_DEFAULTS);
      limiter = new SlidingWindowLimiter(limit, adaptive);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** The limiter a lane's requests wait on, for its bucket and limit row (null: none); null only when not adaptive and the row sets no limit. */
  limiterOf(key: string, row: RateLimit | null): SlidingWindowLimiter | null {
    if (this.options.adaptive === false && row?.requestsPerMinute === undefined && row?.tokensPerMinute === undefined) return null;
    return this.limiterFor(key, row ?? {});
  }
}
