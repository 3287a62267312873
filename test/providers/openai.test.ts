import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdapter } from '../../pipelines/providers/openai.ts';
import type { ChatRequest } from '../../core/chat.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/index.ts';
import { ASK, LONG_CONTEXT, faultSuite, makeLane, send, sendError } from './kit.ts';

const KEY = 'sk-test-openai-0123456789abcdef';

interface Context {
  server: FakeOpenAI;
  env: NodeJS.ProcessEnv;
}

const test = suite<Context>('openai createAdapter', {} as Context);
test.before.each(async (context) => {
  context.server = await startFakeOpenAI({ apiKey: KEY });
  context.env = { OPENAI_API_KEY: KEY };
});
test.after.each(async (context) => {
  await context.server.close();
});

const laneAt = (server: FakeOpenAI, model: string, dials = {}) => makeLane({ provider: 'openai', model, base_url: `${server.url}/v1`, dials });

test('gpt-5 gets reasoning_effort and max_completion_tokens, never temperature or seed', async ({ server, env }) => {
  const lane = laneAt(server, 'gpt-5', { reasoning_effort: 'minimal', max_output_tokens: 800 });
  const reply = await send(createAdapter(env), lane, { ...ASK, seed: 11 });
  assert.is(reply.finishReason, 'stop');
  const body = server.requests[0].body as Record<string, unknown>;
  assert.equal(body, { model: 'gpt-5', messages: ASK.messages, reasoning_effort: 'minimal', max_completion_tokens: 800 });
});

test('other models get the sampling dials, the step seed and max_completion_tokens', async ({ server, env }) => {
  const lane = laneAt(server, 'gpt-4o-mini', { temperature: 0.7, top_p: 0.9, frequency_penalty: 0.2, presence_penalty: -0.1, max_output_tokens: 300 });
  await send(createAdapter(env), lane, { ...ASK, seed: 11 });
  const body = server.requests[0].body as Record<string, unknown>;
  assert.equal(body, {
    model: 'gpt-4o-mini', messages: ASK.messages, temperature: 0.7, top_p: 0.9, frequency_penalty: 0.2, presence_penalty: -0.1, seed: 11, max_completion_tokens: 300,
  });
});

test("the lane's seed wins over the step's; maxOutputTokens overrides the lane", async ({ server, env }) => {
  const lane = laneAt(server, 'gpt-4o-mini', { seed: 5, max_output_tokens: 300 });
  await send(createAdapter(env), lane, { ...ASK, seed: 11, maxOutputTokens: 40 });
  const body = server.requests[0].body as Record<string, unknown>;
  assert.is(body['seed'], 5);
  assert.is(body['max_completion_tokens'], 40);
});

test('json asks for a json_object response format', async ({ server, env }) => {
  server.configure({ respond: () => ({ text: '{"answer":"A"}' }) });
  const reply = await send(createAdapter(env), laneAt(server, 'gpt-4o-mini'), { ...ASK, json: true });
  assert.equal((server.requests[0].body as Record<string, unknown>)['response_format'], { type: 'json_object' });
  assert.is(reply.text, '{"answer":"A"}');
});

test('maps usage, with reasoning tokens and cached tokens on the second call with the same prefix', async ({ server, env }) => {
  server.configure({ cache: { ttlMs: 60_000 }, respond: () => ({ text: 'A', reasoningTokens: 30 }) });
  const adapter = createAdapter(env);
  const lane = laneAt(server, 'gpt-5');
  const request = (n: number): ChatRequest => ({ messages: [{ role: 'system', content: LONG_CONTEXT }, { role: 'user', content: `question ${n}` }], cachePrefix: 1 });
  const first = await send(adapter, lane, request(1));
  const second = await send(adapter, lane, request(2));
  const prefixTokens = Math.ceil(LONG_CONTEXT.length / 4);
  assert.equal(first.tokens, { prompt: prefixTokens + 3, completion: 31, cached_read: 0, cache_write: 0, reasoning: 30 });
  assert.equal(second.tokens, { prompt: prefixTokens + 3, completion: 31, cached_read: prefixTokens, cache_write: 0, reasoning: 30 });
  assert.is(first.ttftMs, null);
});

test('streams with include_usage and measures time to first token', async ({ server, env }) => {
  const adapter = createAdapter(env);
  const lane = laneAt(server, 'gpt-4o-mini');
  const whole = await send(adapter, lane, ASK);
  server.configure({ latencyMs: 30 });
  const streamed = await send(adapter, lane, { ...ASK, stream: true });
  const body = server.requests[1].body as Record<string, unknown>;
  assert.is(body['stream'], true);
  assert.equal(body['stream_options'], { include_usage: true });
  assert.is(streamed.text, whole.text);
  assert.is(streamed.finishReason, 'stop');
  assert.equal(streamed.tokens, whole.tokens);
  assert.ok(streamed.ttftMs !== null && streamed.ttftMs >= 25, `ttft ${streamed.ttftMs}`);
});

test('buildRequest returns the exact body the server received, and the URL', async ({ server, env }) => {
  const adapter = createAdapter(env);
  const requests: ChatRequest[] = [{ ...ASK, seed: 3 }, { ...ASK, json: true, stream: true, maxOutputTokens: 64 }];
  for (const [model, dials] of [['gpt-5', { reasoning_effort: 'high', max_output_tokens: 900 }], ['gpt-4o', { temperature: 0, top_p: 1 }]] as const) {
    const lane = laneAt(server, model, dials);
    for (const request of requests) {
      server.reset();
      await send(adapter, lane, request);
      const built = adapter.buildRequest(lane, request);
      assert.equal(server.requests[0].body, built.body);
      assert.is(built.url, `${server.url}/v1/chat/completions`);
      assert.is(server.requests[0].path, '/v1/chat/completions');
    }
  }
});

test('base URL: the lane, else OPENAI_BASE_URL, else the SDK default', async ({ server }) => {
  const adapter = createAdapter({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${server.url}/v1` });
  const lane = makeLane({ provider: 'openai', model: 'gpt-4o-mini' });
  assert.is(adapter.buildRequest(lane, ASK).url, `${server.url}/v1/chat/completions`);
  await send(adapter, lane, ASK);
  assert.is(server.stats.requests, 1);
  assert.is(createAdapter({}).buildRequest(lane, ASK).url, 'https://api.openai.com/v1/chat/completions');
  assert.is(adapter.buildRequest({ ...lane, base_url: 'http://127.0.0.1:1/v1/' }, ASK).url, 'http://127.0.0.1:1/v1/chat/completions');
});

test('a missing OPENAI_API_KEY is an auth error naming it, and nothing is sent', async ({ server }) => {
  const error = await sendError(createAdapter({}), laneAt(server, 'gpt-4o-mini'), ASK);
  assert.is(error.kind, 'auth');
  assert.match(error.message, /OPENAI_API_KEY/);
  assert.is(server.stats.requests, 0);
});

test("a lane's api_key_env names the variable to read", async ({ server }) => {
  const lane = { ...laneAt(server, 'gpt-4o-mini'), api_key_env: 'OPENAI_API_KEY_TEAM_B' };
  const missing = await sendError(createAdapter({ OPENAI_API_KEY: KEY }), lane, ASK);
  assert.match(missing.message, /OPENAI_API_KEY_TEAM_B/);
  await send(createAdapter({ OPENAI_API_KEY_TEAM_B: KEY }), lane, ASK);
  assert.is(server.requests[0].headers.authorization, `Bearer ${KEY}`);
});

test('a wrong key is the server’s 401 → auth, and the message holds neither key', async ({ server }) => {
  const wrong = 'sk-wrong-key-abcdefghijklmnop';
  const error = await sendError(createAdapter({ OPENAI_API_KEY: wrong }), laneAt(server, 'gpt-4o-mini'), ASK);
  assert.is(error.kind, 'auth');
  assert.is(error.httpStatus, 401);
  assert.match(error.message, /^openai HTTP 401/);
  assert.not.ok(error.message.includes(wrong) || error.message.includes(KEY));
});

test('a reasoning lane never sends temperature, even if one slipped past the rules', async ({ server, env }) => {
  const reply = await send(createAdapter(env), laneAt(server, 'o3-mini', { temperature: 0.2, top_p: 0.5 }), ASK);
  assert.is(reply.finishReason, 'stop');
  const body = server.requests[0].body as Record<string, unknown>;
  assert.not.ok('temperature' in body || 'top_p' in body);
});

test('a 429 insufficient_quota (credits used up) → quota, not retried; a 429 rate_limit_exceeded stays rate_limit', async ({ server, env }) => {
  server.inject({ kind: 'status', status: 429, type: 'insufficient_quota' });
  const quota = await sendError(createAdapter(env), laneAt(server, 'gpt-4o-mini'), ASK);
  assert.equal([quota.kind, quota.httpStatus, quota.retryable], ['quota', 429, false]);
  assert.match(quota.message, /^openai HTTP 429 insufficient_quota: You exceeded your current quota, please check your plan and billing details/);
  for (const code of ['organization_spend_limit_exceeded', 'credit_balance_exhausted']) {
    server.inject({ kind: 'status', status: 429, type: 'insufficient_quota', code });
    assert.is((await sendError(createAdapter(env), laneAt(server, 'gpt-4o-mini'), ASK)).kind, 'quota', code);
  }
  server.inject({ kind: 'status', status: 429, retryAfterMs: 100 });
  const limited = await sendError(createAdapter(env), laneAt(server, 'gpt-4o-mini'), ASK);
  assert.equal([limited.kind, limited.retryable], ['rate_limit', true]);
});

test('an unknown model is the server’s 404 → invalid_request', async ({ server, env }) => {
  server.configure({ models: ['gpt-4o-mini'] });
  const error = await sendError(createAdapter(env), laneAt(server, 'gpt-9-turbo'), ASK);
  assert.is(error.kind, 'invalid_request');
  assert.is(error.httpStatus, 404);
  assert.match(error.message, /gpt-9-turbo/);
});

test.run();

faultSuite('openai errors', async () => {
  const server = await startFakeOpenAI();
  const adapter = createAdapter({ OPENAI_API_KEY: KEY });
  return { server, adapter, lane: makeLane({ provider: 'openai', model: 'gpt-4o-mini', base_url: `${server.url}/v1` }), apiKey: KEY, close: () => server.close() };
});
