import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kindForStatus, toProviderError } from '../../pipelines/providers/errors.ts';
import { retryAfterMs } from '../../pipelines/providers/rateLimitHeaders.ts';
import { createAdapter } from '../../pipelines/providers/openai.ts';
import { createAdapter as createOllama } from '../../pipelines/providers/ollama.ts';
import { ProviderError } from '../../core/chat.ts';
import { ASK, makeLane, sendError, startRawServer } from './kit.ts';

const retry = suite('retryAfterMs');

retry('prefers retry-after-ms, then retry-after seconds, then an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.is(retryAfterMs(new Headers({ 'retry-after-ms': '1500.5', 'retry-after': '9' }), now), 1501);
  assert.is(retryAfterMs(new Headers({ 'retry-after': '2' }), now), 2000);
  assert.is(retryAfterMs(new Headers({ 'retry-after': '0.25' }), now), 250);
  assert.is(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now), 7000);
  assert.is(retryAfterMs(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }), now), 0, 'a date in the past means now');
});

retry('is null without a usable header', () => {
  assert.is(retryAfterMs(null), null);
  assert.is(retryAfterMs(new Headers()), null);
  assert.is(retryAfterMs(new Headers({ 'retry-after': 'soon' })), null);
  assert.is(retryAfterMs(new Headers({ 'retry-after': '-3' })), null);
});

retry.run();

const status = suite('kindForStatus');

status('maps HTTP statuses to error kinds', () => {
  const cases: [number, string][] = [
    [429, 'rate_limit'], [408, 'timeout'], [401, 'auth'], [402, 'quota'], [403, 'auth'], [400, 'invalid_request'], [404, 'invalid_request'],
    [409, 'invalid_request'], [413, 'invalid_request'], [422, 'invalid_request'], [500, 'server'], [503, 'server'], [529, 'server'], [302, 'unknown'],
  ];
  for (const [code, kind] of cases) assert.is(kindForStatus(code), kind, String(code));
});

status.run();

const classify = suite('toProviderError');

classify('a 200 whose body is not JSON (cut or garbled in transit) → network, retried: never a model parse failure', async () => {
  const raw = await startRawServer(200, '{"id": "chatcmpl-1", "choices": [');
  const lane = makeLane({ provider: 'openai', model: 'gpt-4o-mini', base_url: `${raw.url}/v1` });
  const error = await sendError(createAdapter({ OPENAI_API_KEY: 'sk-test-000000000000' }), lane, ASK);
  assert.is(error.kind, 'network');
  assert.ok(error.retryable);
  const ollama = await sendError(createOllama({}), makeLane({ provider: 'ollama', model: 'llama3.2', base_url: raw.url }), ASK);
  assert.is(ollama.kind, 'network');
  await raw.close();
});

classify('scrubs every secret of the environment and the key in use from the message', () => {
  const env = { ANTHROPIC_API_KEY: 'sk-ant-secret-value-1', LAB_TOKEN: 'lab-secret-token-2' };
  const error = toProviderError(new Error('failed with sk-ant-secret-value-1 and lab-secret-token-2 and custom-key-3'), { provider: 'x', env, apiKey: 'custom-key-3' });
  assert.is(error.message, 'x: failed with [redacted] and [redacted] and [redacted]');
  assert.is(error.kind, 'unknown');
});

classify('passes a ProviderError through unchanged', () => {
  const original = new ProviderError('auth', 'OPENAI_API_KEY is not set');
  assert.is(toProviderError(original, { provider: 'openai', env: {} }), original);
});

classify.run();
