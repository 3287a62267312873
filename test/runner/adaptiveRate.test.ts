import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { RateLimitHint } from '../../core/chat.ts';
import { ADAPTIVE_RATE_DEFAULTS, AdaptiveRate, MAX_RETRY_AFTER_MS, learnedRate, refillMs } from '../../pipelines/runner/adaptiveRate.ts';
import { LimiterRegistry } from '../../pipelines/runner/limiterRegistry.ts';

const { decrease, increasePerWindow, probePerWindow, approach } = ADAPTIVE_RATE_DEFAULTS;
const close = (actual: number, expected: number, message?: string): void => assert.ok(Math.abs(actual - expected) < 1e-6, `${message ?? ''} ${actual} ≠ ${expected}`);

/** Admits a request at `now` if the rate lets it, as the limiter does. */
function admit(rate: AdaptiveRate, now: number): boolean {
  if (rate.waitFor(now) > 0) return false;
  rate.admitted(now);
  return true;
}

const test = suite('AdaptiveRate');

test('sets no pace until the server shows a limit', () => {
  const rate = new AdaptiveRate();
  for (let t = 0; t < 100; t++) assert.ok(admit(rate, 1000), 'a burst goes at once');
  rate.succeeded(1000, false, 10, undefined, 1050);
  assert.is(rate.requestsPerSecond, Infinity);
});

test('the first 429 pauses for its Retry-After and cuts to decrease × what the server admitted: successes over their span plus the wait', () => {
  const rate = new AdaptiveRate();
  // 60 requests admitted and answered within 200 ms, then a 429 asking for 4.8 s: 60 per (0.2 + 4.8) s = 12/s
  for (let i = 0; i < 60; i++) rate.succeeded(1000, false, 10, undefined, 1000 + (200 * i) / 59);
  rate.rateLimited(1000, 4800, null, 1200);
  close(rate.requestsPerSecond, 12 * decrease, 'cut');
  assert.is(rate.waitFor(1200), 4800, 'the whole bucket waits the Retry-After');
  // the burst's other answers: its 429s cut no further, its late successes count into the estimate
  rate.rateLimited(1000, 4790, null, 1210);
  close(rate.requestsPerSecond, 12 * decrease, 'no second cut for the same burst');
  rate.succeeded(1000, false, 10, undefined, 1220);
  close(rate.requestsPerSecond, (61 / 5) * decrease, 'a late success of the burst raises the estimate');
});

test('a later 429 cuts the rate it came at by decrease; one without Retry-After pauses the default', () => {
  const rate = new AdaptiveRate();
  rate.succeeded(0, false, 10, undefined, 10);
  rate.rateLimited(0, 990, null, 10);
  const first = rate.requestsPerSecond;
  rate.rateLimited(2000, null, null, 2100);
  close(rate.requestsPerSecond, first * decrease);
  assert.is(rate.waitFor(2100), ADAPTIVE_RATE_DEFAULTS.pauseWithoutRetryAfterMs);
});

test('successes the rate held back raise it additively, fast below approach × the last 429, then slowly; others do not', () => {
  const rate = new AdaptiveRate();
  rate.succeeded(0, false, 10, undefined, 0);
  rate.rateLimited(0, 1000, null, 0); // ceiling 1/s over a 1 s window
  rate.rateLimited(5000, 0, null, 5000); // a confirmed 429 at 0.9/s: the ceiling is 0.9/s
  const ceiling = 1 * decrease;
  let r = rate.requestsPerSecond;
  close(r, ceiling * decrease);
  rate.succeeded(6000, false, 10, undefined, 6100);
  close(rate.requestsPerSecond, r, 'not held back by the rate: no increase');
  rate.succeeded(6000, true, 10, undefined, 6100);
  close(rate.requestsPerSecond, r + (increasePerWindow * ceiling) / r, 'fast: increasePerWindow of the ceiling per window of 1 s');
  while (rate.requestsPerSecond < ceiling * approach) rate.succeeded(6000, true, 10, undefined, 6100);
  r = rate.requestsPerSecond;
  rate.succeeded(6000, true, 10, undefined, 6100);
  close(rate.requestsPerSecond, r + (probePerWindow * ceiling) / r, 'slow near the last 429');
});

test('paces requests 1 / rate apart on a schedule a late timer does not slow', () => {
  const paced = new AdaptiveRate();
  paced.succeeded(0, false, 1, { retryAfterMs: null, limits: [{ unit: 'requests', limit: 10, remaining: 0, resetMs: 1000 }] }, 0);
  close(paced.requestsPerSecond, 10 * approach, 'a spent limit of 10 over a 1 s reset: 10/s, with the approach margin');
  const interval = 1000 / paced.requestsPerSecond;
  assert.ok(admit(paced, 1000));
  assert.not.ok(admit(paced, 1000 + interval - 1));
  assert.ok(paced.admitted(1000 + interval + 5), 'a late admission is still on the schedule…');
  assert.ok(admit(paced, 1000 + 2 * interval), '…and keeps the next slot on it');
  assert.not.ok(paced.admitted(1000 + 10 * interval), 'after an idle spell the rate is not what limits');
});

test('headers: a limit with less left than a request needs pauses until enough is back', () => {
  const rate = new AdaptiveRate();
  const hint: RateLimitHint = { retryAfterMs: null, limits: [{ unit: 'tokens', limit: 1000, remaining: 100, resetMs: 9000 }] };
  rate.succeeded(0, false, 400, hint, 0);
  assert.is(rate.waitFor(0), 3000, '300 of the 900 used tokens are back in a third of the reset');
  assert.is(rate.requestsPerSecond, Infinity, 'a token limit teaches no request rate');
  const plenty = new AdaptiveRate();
  plenty.succeeded(0, false, 50, hint, 0);
  assert.ok(plenty.waitFor(0) <= 0);
});

test('a wait past MAX_RETRY_AFTER_MS is a quota: the bucket neither pauses nor slows', () => {
  const rate = new AdaptiveRate();
  rate.succeeded(0, false, 10, { retryAfterMs: null, limits: [{ unit: 'requests', limit: 1, remaining: 0, resetMs: 86_400_000 }] }, 0);
  rate.rateLimited(0, MAX_RETRY_AFTER_MS + 1, null, 0);
  assert.ok(rate.waitFor(0) <= 0);
  assert.is(rate.requestsPerSecond, Infinity);
});

const math = suite('refillMs, learnedRate');

math('refill: the needed share of the used part of the reset; the whole reset without a limit', () => {
  assert.is(refillMs({ unit: 'requests', limit: 60, remaining: 0, resetMs: 60_000 }, 1), 1000);
  assert.is(refillMs({ unit: 'tokens', limit: null, remaining: 0, resetMs: 5000 }, 10), 5000);
  assert.is(refillMs({ unit: 'tokens', limit: 100, remaining: 0, resetMs: 5000 }, 500), 5000, 'never past the reset');
});

math('learned rate: the used requests over the reset; null for tokens or nothing used', () => {
  assert.is(learnedRate({ unit: 'requests', limit: 500, remaining: 499, resetMs: 120 }), 1000 / 120);
  assert.is(learnedRate({ unit: 'requests', limit: 60, remaining: 0, resetMs: 60_000 }), 1);
  assert.is(learnedRate({ unit: 'tokens', limit: 60, remaining: 0, resetMs: 60_000 }), null);
  assert.is(learnedRate({ unit: 'requests', limit: 60, remaining: 60, resetMs: 0 }), null);
});

const limiter = suite('SlidingWindowLimiter with an adaptive rate');

limiter('a limits row is an upper bound the adaptive rate can only slow further', async () => {
  const spacing = async (row: { requestsPerMinute: number; windowMs: number }, learned: RateLimitHint): Promise<number> => {
    const l = new LimiterRegistry().limiterOf('bucket', row)!;
    const entry = await l.acquire(1);
    l.succeeded(entry, 1, learned);
    const start = Date.now();
    for (let i = 0; i < 4; i++) await l.acquire(1);
    return (Date.now() - start) / 4;
  };
  // the headers say 20 a second (a spent limit of 20 over a 1 s reset): 18/s with the margin, ~56 ms apart
  const told = (limit: number): RateLimitHint => ({ retryAfterMs: null, limits: [{ unit: 'requests', limit, remaining: 0, resetMs: 1000 }] });
  const slower = await spacing({ requestsPerMinute: 1000, windowMs: 1000 }, told(20));
  assert.ok(slower >= 45 && slower < 80, `the server's 20/s slows a 1000/s row: ${slower} ms apart`);
  const row = await spacing({ requestsPerMinute: 10, windowMs: 1000 }, told(1000));
  assert.ok(row >= 90, `a 10/s row holds where the server would take 1000/s: ${row} ms apart`);
});

const registry = suite('LimiterRegistry.limiterOf');

registry('gives a bucket without a limits row an adaptive limiter, shared by every run of the registry; none when not adaptive', () => {
  const limiters = new LimiterRegistry();
  const a = limiters.limiterOf('openai-compatible/vllm|http://x|m|', null);
  assert.ok(a !== null);
  assert.is(limiters.limiterOf('openai-compatible/vllm|http://x|m|', null), a);
  assert.is.not(limiters.limiterOf('openai-compatible/vllm|http://x|other|', null), a);
  const baseline = new LimiterRegistry({ adaptive: false });
  assert.is(baseline.limiterOf('k', null), null);
  assert.ok(baseline.limiterOf('k', { requestsPerMinute: 10 }) !== null, 'a row still limits');
});

test.run();
math.run();
limiter.run();
registry.run();
