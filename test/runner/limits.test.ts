import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { backoffDelayMs } from '../../pipelines/runner/backoff.ts';
import { findLimit, limitBucketKey, parseLimitsTable, readLimitsFile } from '../../pipelines/runner/limits.ts';
import { costOf, findPrice, readPriceTable } from '../../pipelines/runner/pricing.ts';
import { SlidingWindowLimiter } from '../../pipelines/runner/rateLimiter.ts';
import { CacheAwareQueue } from '../../pipelines/runner/cacheAwareQueue.ts';
import type { Lane } from '../../core/lane.ts';

const lane = (provider: Lane['provider'], model: string, backend?: Lane['backend']): Lane => ({ slug: 'x', alias: 'x', provider, model, dials: {}, active: true, visible: true, ...(backend ? { backend } : {}) });

const limits = suite('limits table');

limits('docs/api_limits.md is the source and parses', async () => {
  const { rows, sha256 } = await readLimitsFile();
  assert.match(sha256, /^[0-9a-f]{64}$/);
  assert.equal(findLimit(rows, lane('openai', 'gpt-4o-2024-08-06')), { provider: 'openai', model: 'gpt-4o, gpt-4o-20*', requestsPerMinute: 500, tokensPerMinute: 30000 });
  assert.is(findLimit(rows, lane('openai', 'gpt-4o-mini'))?.model, '*', 'gpt-4o-mini is not gpt-4o');
  assert.is(findLimit(rows, lane('openai', 'gpt-4.1'))?.model, '*');
  assert.is(findLimit(rows, lane('openai-compatible', 'hermes', 'openrouter'))?.requestsPerMinute, 600);
  assert.is(findLimit(rows, lane('ollama', 'llama3'))?.requestsPerMinute, undefined);
});

limits('a model cell is exact ids or explicit * patterns; the most literal match wins; every bucket is one model and key', () => {
  const rows = parseLimitsTable('| provider | model | requests_per_minute | tokens_per_minute | window_ms |\n|---|---|---|---|---|\n| openai | * | 1 | | |\n| openai | gpt-4o-* | 2 | | |\n| openai | gpt-4o-mini | 3 | | 1000 |\n', 'l.md');
  assert.equal(['gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o-mini', 'gpt-4o-mini-2024'].map((m) => findLimit(rows, lane('openai', m))?.requestsPerMinute), [1, 2, 3, 2]);
  assert.is(findLimit(rows, lane('openai', 'gpt-4o-mini'))?.windowMs, 1000);
  assert.is.not(limitBucketKey(lane('openai', 'gpt-4o')), limitBucketKey(lane('openai', 'gpt-4o-mini')), 'two models under one row do not share a bucket');
  assert.is.not(limitBucketKey(lane('openai', 'gpt-4o')), limitBucketKey({ ...lane('openai', 'gpt-4o'), api_key_env: 'OTHER_KEY' }), 'nor two keys');
  assert.throws(() => parseLimitsTable('| column | meaning |\n|---|---|\n| a | b |\n', 'l.md'), /l\.md: no limits table/);
});

limits('a bad cell names file, line and column', () => {
  assert.throws(() => parseLimitsTable('| provider | model | requests_per_minute | tokens_per_minute |\n|---|---|---|---|\n| openai | * | lots | |\n', 'limits.md'), /limits\.md:3: field requests_per_minute: expected a positive number/);
});

const limiter = suite('SlidingWindowLimiter');

limiter('paces requests window/limit apart and never admits more than N in any window', async () => {
  const l = new SlidingWindowLimiter({ requestsPerMinute: 5, windowMs: 400 });
  const start = Date.now();
  const admitted: number[] = [];
  await Promise.all(Array.from({ length: 8 }, async () => {
    await l.acquire(1);
    admitted.push(Date.now() - start);
  }));
  admitted.sort((a, b) => a - b);
  // stamps are taken when each await resumes, so scheduling jitter of a few ms shows up in them;
  // unpaced, the gaps would be ~0 and the sixth request would come at once
  for (let i = 1; i < 8; i++) assert.ok(admitted[i] - admitted[i - 1] >= 70, `paced ~80 ms apart (${admitted[i] - admitted[i - 1]})`);
  for (let i = 5; i < 8; i++) assert.ok(admitted[i] - admitted[i - 5] >= 390, 'never more than 5 in any window');
});

limiter('counts tokens and can be paused after a 429', async () => {
  const l = new SlidingWindowLimiter({ tokensPerMinute: 100, windowMs: 300 });
  const start = Date.now();
  await l.acquire(60);
  await l.acquire(60);
  assert.ok(Date.now() - start >= 300, 'the second request waited for the first one’s tokens to leave the window');
  const p = new SlidingWindowLimiter({});
  p.pauseFor(200);
  const t = Date.now();
  await p.acquire(1);
  assert.ok(Date.now() - t >= 190);
});

const prices = suite('pricing');

prices('cost splits cached, cache-write and uncached input', () => {
  const table = readPriceTable();
  const price = findPrice(table, lane('anthropic', 'claude-sonnet-4-5-20250929'))!;
  // 10,000 input of which 6,000 cached reads and 2,000 cache writes; 1,000 output
  // = (2,000×3 + 6,000×0.3 + 2,000×3.75 + 1,000×15) / 1e6 = (6000 + 1800 + 7500 + 15000)/1e6 = 0.0303
  const usd = costOf(price, { prompt: 10000, cached_read: 6000, cache_write: 2000, completion: 1000, reasoning: 0 });
  assert.ok(Math.abs(usd - 0.0303) < 1e-12);
  assert.ok(Math.abs(costOf(price, { prompt: 10000, cached_read: 6000, cache_write: 2000, completion: 1000, reasoning: 0 }, { batch: true }) - 0.01515) < 1e-12);
  assert.is(findPrice(table, lane('openai', 'unknown-model')), null);
  assert.is(findPrice(table, lane('ollama', 'llama3'))?.input, 0);
});

const backoff = suite('backoffDelayMs');

backoff('honours Retry-After, else grows exponentially with jitter under a cap', () => {
  assert.is(backoffDelayMs(1, 2000, { random: () => 0 }), 2000);
  assert.is(backoffDelayMs(1, null, { random: () => 0, baseMs: 100 }), 50);
  assert.is(backoffDelayMs(3, null, { random: () => 0.999999, baseMs: 100 }), 399);
  assert.is(backoffDelayMs(20, null, { random: () => 0.999999, baseMs: 100, maxMs: 1000 }), 999);
});

const queue = suite('CacheAwareQueue');

queue('hands out one warm-up per context, then that context’s rest before new contexts', () => {
  const q = new CacheAwareQueue([['a1', 'a2', 'a3'], ['b1', 'b2'], ['c1']]);
  assert.is(q.take(), 'a1');
  assert.is(q.take(), 'b1');
  q.complete('a1');
  assert.is(q.take(), 'a2');
  assert.is(q.take(), 'a3');
  assert.is(q.take(), 'c1');
  assert.is(q.take(), null, 'b’s rest waits for its warm-up');
  q.complete('b1');
  assert.is(q.take(), 'b2');
  for (const s of ['a2', 'a3', 'c1', 'b2']) q.complete(s);
  assert.ok(q.drained);
});

limits.run();
limiter.run();
prices.run();
backoff.run();
queue.run();
