import { SlidingWindowLimiter, type RateLimit } from './rateLimiter.ts';

const limiters = new Map<string, SlidingWindowLimiter>();

/** One limiter per (provider, model) row in this process, shared by every run that uses it. */
export function limiterFor(key: string, limit: RateLimit): SlidingWindowLimiter {
  const id = `${key}|${limit.requestsPerMinute ?? ''}|${limit.tokensPerMinute ?? ''}|${limit.windowMs ?? ''}`;
  let limiter = limiters.get(id);
  if (limiter === undefined) {
    limiter = new SlidingWindowLimiter(limit);
    limiters.set(id, limiter);
  }
  return limiter;
}
