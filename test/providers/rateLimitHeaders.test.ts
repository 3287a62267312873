import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readRateLimitHint, resetMs } from '../../pipelines/providers/rateLimitHeaders.ts';
import { createAdapter as createOpenAI } from '../../pipelines/providers/openai.ts';
import { createAdapter as createAnthropic } from '../../pipelines/providers/anthropic.ts';
import { startFakeAnthropic, startFakeOpenAI } from '../fakes/index.ts';
import { ASK, makeLane, send, sendError } from './kit.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

const reset = suite('resetMs');

reset('reads OpenAI Go durations', () => {
  assert.is(resetMs('6m0s', NOW), 360_000);
  assert.is(resetMs('1s', NOW), 1000);
  assert.is(resetMs('20ms', NOW), 20);
  assert.is(resetMs('1.5s', NOW), 1500);
  assert.is(resetMs('2m30.25s', NOW), 150_250);
  assert.is(resetMs('1h0m0s', NOW), 3_600_000);
  assert.is(resetMs('0s', NOW), 0);
});

reset('reads Anthropic RFC 3339 times, bare seconds and Unix times; a past time is 0', () => {
  assert.is(resetMs('2026-01-01T00:00:07Z', NOW), 7000);
  assert.is(resetMs('2026-01-01T01:00:07+01:00', NOW), 7000);
  assert.is(resetMs('2025-12-31T23:59:00Z', NOW), 0);
  assert.is(resetMs('12', NOW), 12_000);
  assert.is(resetMs('0.5', NOW), 500);
  assert.is(resetMs(String(NOW / 1000 + 30), NOW), 30_000);
});

reset('is null for what it cannot read', () => {
  for (const value of [null, '', '  ', 'soon', '-3', '5 minutes', '6m0', 'ms']) assert.is(resetMs(value, NOW), null, String(value));
});

const hint = suite('readRateLimitHint');

hint('reads OpenAI x-ratelimit-* headers and retry-after-ms', () => {
  const headers = new Headers({
    'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '120ms',
    'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '29000', 'x-ratelimit-reset-tokens': '2s',
    'retry-after': '1', 'retry-after-ms': '118',
  });
  assert.equal(readRateLimitHint(headers, NOW), {
    retryAfterMs: 118,
    limits: [{ unit: 'requests', limit: 500, remaining: 0, resetMs: 120 }, { unit: 'tokens', limit: 30_000, remaining: 29_000, resetMs: 2000 }],
  });
});

hint('reads Anthropic anthropic-ratelimit-* headers, input and output tokens as token limits, and retry-after as a date', () => {
  const headers = new Headers({
    'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '49', 'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:01Z',
    'anthropic-ratelimit-input-tokens-limit': '30000', 'anthropic-ratelimit-input-tokens-remaining': '0', 'anthropic-ratelimit-input-tokens-reset': '2026-01-01T00:00:42Z',
    'anthropic-ratelimit-output-tokens-limit': '8000', 'anthropic-ratelimit-output-tokens-remaining': '8000', 'anthropic-ratelimit-output-tokens-reset': '2026-01-01T00:00:00Z',
    'retry-after': 'Thu, 01 Jan 2026 00:00:42 GMT',
  });
  assert.equal(readRateLimitHint(headers, NOW), {
    retryAfterMs: 42_000,
    limits: [
      { unit: 'requests', limit: 50, remaining: 49, resetMs: 1000 },
      { unit: 'tokens', limit: 30_000, remaining: 0, resetMs: 42_000 },
      { unit: 'tokens', limit: 8000, remaining: 8000, resetMs: 0 },
    ],
  });
});

hint('is null without rate-limit headers; a -1 (Azure: not reported) is no count', () => {
  assert.is(readRateLimitHint(new Headers({ 'content-type': 'application/json' }), NOW), null);
  assert.is(readRateLimitHint(null, NOW), null);
  assert.equal(readRateLimitHint(new Headers({ 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0' }), NOW), {
    retryAfterMs: null, limits: [{ unit: 'tokens', limit: null, remaining: null, resetMs: 0 }],
  });
  assert.equal(readRateLimitHint(new Headers({ 'retry-after': '2' }), NOW), { retryAfterMs: 2000, limits: [] });
});

const adapters = suite('adapters surface rate-limit headers');
const ENV: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-test-ratelimit-000000000', ANTHROPIC_API_KEY: 'sk-ant-test-ratelimit-0000' };

adapters('openai: a response, streamed or not, and a 429 carry the x-ratelimit headers through the real SDK', async () => {
  const server = await startFakeOpenAI({ respond: () => ({ text: 'A' }), rateLimit: { requestsPerMinute: 3, windowMs: 60_000 } });
  const adapter = createOpenAI(ENV);
  try {
    const lane = makeLane({ provider: 'openai', model: 'gpt-4o-mini', base_url: `${server.url}/v1` });
    const plain = await send(adapter, lane, ASK);
    assert.equal(plain.rateLimit?.limits[0], { unit: 'requests', limit: 3, remaining: 2, resetMs: plain.rateLimit?.limits[0].resetMs ?? -1 });
    assert.ok((plain.rateLimit?.limits[0].resetMs ?? 0) > 59_000, 'reset: the window, as a Go duration');
    const streamed = await send(adapter, lane, { ...ASK, stream: true });
    assert.is(streamed.text, 'A');
    assert.is(streamed.rateLimit?.limits[0].remaining, 1);
    await send(adapter, lane, ASK);
    const refused = await sendError(adapter, lane, ASK);
    assert.is(refused.kind, 'rate_limit');
    assert.is(refused.rateLimit?.limits[0].remaining, 0);
    assert.ok((refused.retryAfterMs ?? 0) > 59_000);
  } finally {
    await adapter.close();
    await server.close();
  }
});

adapters('anthropic: a response, streamed or not, carries the anthropic-ratelimit headers through the real SDK', async () => {
  const server = await startFakeAnthropic({ respond: () => ({ text: 'A' }), rateLimit: { requestsPerMinute: 5, windowMs: 60_000 } });
  const adapter = createAnthropic(ENV);
  try {
    const lane = makeLane({ provider: 'anthropic', model: 'claude-sonnet-4-6', base_url: server.url, dials: { max_output_tokens: 64 } });
    const plain = await send(adapter, lane, ASK);
    assert.is(plain.rateLimit?.limits.find((l) => l.unit === 'requests')?.remaining, 4);
    const streamed = await send(adapter, lane, { ...ASK, stream: true });
    assert.is(streamed.rateLimit?.limits.find((l) => l.unit === 'requests')?.remaining, 3);
  } finally {
    await adapter.close();
    await server.close();
  }
});

adapters('a server without rate-limit headers gives no hint', async () => {
  const server = await startFakeOpenAI({ respond: () => ({ text: 'A' }) });
  const adapter = createOpenAI(ENV);
  try {
    const response = await send(adapter, makeLane({ provider: 'openai', model: 'gpt-4o-mini', base_url: `${server.url}/v1` }), ASK);
    assert.is(response.rateLimit, undefined);
  } finally {
    await adapter.close();
    await server.close();
  }
});

reset.run();
hint.run();
adapters.run();
