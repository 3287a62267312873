import { SlidingWindowLimiter, type RateLimit } from './rateLimiter.ts';

/**
 * The rate limiters of one process (one command), one per (provider, model) limit row: every run given the same
 * registry waits on the same limiter, so parallel runs of a sweep share the provider's limit instead of each
 * taking all of it. The command creates it and passes it to its runs.
 */
export class LimiterRegistry {
  private readonly limiters = new Map<string, SlidingWindowLimiter>();

  /** The limiter of a (provider, model) key and its limit, created on first use. */
  limiterFor(key: string, limit: RateLimit): SlidingWindowLimiter {
    const id = `${key}|${limit.requestsPerMinute ?? ''}|${limit.tokensPerMinute ?? ''}|${limit.windowMs ?? ''}`;
    let limiter = this.limiters.get(id);
    if (limiter === undefined) {
      limiter = new SlidingWindowLimiter(limit);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
