import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlidingWindowLimiter } from './rateLimit.ts';

function clock(start = 1_000_000) {
  const state = { now: start };
  return { state, now: () => state.now };
}

test('SlidingWindowLimiter admits N requests per window and says when the next slot frees', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ requestsPerMinute: 2, windowMs: 1000 }, time.now);
  assert.ok(limiter.admit(0).allowed);
  time.state.now += 300;
  const second = limiter.admit(0);
  assert.ok(second.allowed);
  assert.is(second.limits.requests?.remaining, 0);
  time.state.now += 100;
  const third = limiter.admit(0);
  assert.not.ok(third.allowed);
  assert.is(third.exceeded, 'requests');
  // The first request (at t=0) leaves the window at t=1000 (minus 2 ms of clock slack); now is t=400.
  assert.is(third.retryAfterMs, 598);
  time.state.now += third.retryAfterMs;
  assert.ok(limiter.admit(0).allowed);
  assert.not.ok(limiter.admit(0).allowed);
});

test('SlidingWindowLimiter does not count rejected requests', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ requestsPerMinute: 1, windowMs: 1000 }, time.now);
  limiter.admit(0);
  for (let i = 0; i < 5; i++) assert.not.ok(limiter.admit(0).allowed);
  time.state.now += 1000;
  assert.ok(limiter.admit(0).allowed);
});

test('SlidingWindowLimiter limits tokens and waits for enough of them to expire', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ tokensPerMinute: 100, windowMs: 1000 }, time.now);
  assert.ok(limiter.admit(40).allowed);
  time.state.now += 100;
  assert.ok(limiter.admit(40).allowed);
  time.state.now += 100;
  const over = limiter.admit(50);
  assert.not.ok(over.allowed);
  assert.is(over.exceeded, 'tokens');
  assert.is(over.limits.tokens?.remaining, 20);
  // 50 tokens fit once the first 40 expire (t=998), not before.
  assert.is(over.retryAfterMs, 798);
  time.state.now += 797;
  assert.not.ok(limiter.admit(50).allowed);
  time.state.now += 1;
  assert.ok(limiter.admit(50).allowed);
});

test('SlidingWindowLimiter reports when all usage has left the window', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ requestsPerMinute: 10, tokensPerMinute: 1000, windowMs: 1000 }, time.now);
  limiter.admit(10);
  time.state.now += 250;
  const verdict = limiter.admit(10);
  assert.equal(verdict.limits.requests, { limit: 10, remaining: 8, resetMs: 998 });
  assert.equal(verdict.limits.tokens, { limit: 1000, remaining: 980, resetMs: 998 });
});

test('SlidingWindowLimiter limits input and output tokens apart, and names the one a request would exceed', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ inputTokensPerMinute: 100, outputTokensPerMinute: 50, windowMs: 1000 }, time.now);
  const first = limiter.admit(60, 40);
  assert.ok(first.allowed);
  assert.equal(first.limits, { input_tokens: { limit: 100, remaining: 40, resetMs: 998 }, output_tokens: { limit: 50, remaining: 10, resetMs: 998 } });
  time.state.now += 100;
  const input = limiter.admit(50, 0);
  assert.equal([input.allowed, input.exceeded, input.retryAfterMs], [false, 'input_tokens', 898]);
  const output = limiter.admit(10, 20);
  assert.equal([output.allowed, output.exceeded], [false, 'output_tokens']);
  const fits = limiter.admit(40, 10);
  assert.ok(fits.allowed);
  assert.equal(fits.limits.output_tokens, { limit: 50, remaining: 0, resetMs: 998 });
});

test('SlidingWindowLimiter never admits more than the limit in any window', () => {
  const time = clock();
  const limiter = new SlidingWindowLimiter({ requestsPerMinute: 100, windowMs: 1000 }, time.now);
  const admitted: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    if (limiter.admit(1).allowed) admitted.push(time.state.now);
    time.state.now += 1;
  }
  for (let i = 0; i + 100 < admitted.length; i++) assert.ok(admitted[i + 100] - admitted[i] >= 998);
  // Bursts of 100 every 998 ms (the window less its clock slack) over 50 s.
  assert.is(admitted.length, 5100);
});

test.run();
