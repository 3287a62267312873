import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BackendName } from '../../core/lane.ts';
import { createAdapter } from '../../pipelines/providers/openaiCompatible.ts';
import type { ChatRequest } from '../../core/chat.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/index.ts';
import { ASK, LONG_CONTEXT, faultSuite, makeLane, send, sendError } from './kit.ts';

const KEY = 'sk-or-v1-test-0123456789abcdef';

interface Context {
  server: FakeOpenAI;
}

const test = suite<Context>('openai-compatible createAdapter', {} as Context);
test.before.each(async (context) => {
  // Compatible servers serve their own model names and take temperature on any of them.
  context.server = await startFakeOpenAI({ rejectTemperatureFor: null });
});
test.after.each(async (context) => {
  await context.server.close();
});

const laneAt = (server: FakeOpenAI, backend: BackendName, model: string, dials = {}) =>
  makeLane({ provider: 'openai-compatible', backend, model, base_url: `${server.url}/v1`, dials });

const HERMES_DIALS = { temperature: 1.1, min_p: 0.08, top_p: 0.92, top_k: 40, repetition_penalty: 1.15, max_output_tokens: 512 };

test('openrouter: min_p, top_k and repetition_penalty go in the body next to the OpenAI dials, with max_tokens', async ({ server }) => {
  const lane = laneAt(server, 'openrouter', 'nousresearch/hermes-4-70b', HERMES_DIALS);
  await send(createAdapter({ OPENROUTER_API_KEY: KEY }), lane, { ...ASK, seed: 9 });
  const recorded = server.requests[0];
  assert.equal(recorded.body, {
    model: 'nousresearch/hermes-4-70b', messages: ASK.messages,
    temperature: 1.1, top_p: 0.92, seed: 9, top_k: 40, min_p: 0.08, repetition_penalty: 1.15, max_tokens: 512,
  });
  assert.is(recorded.headers.authorization, `Bearer ${KEY}`);
});

test('vllm without a key sends no Authorization header at all', async ({ server }) => {
  const lane = laneAt(server, 'vllm', 'Qwen/Qwen3-8B', { min_p: 0.05, repetition_penalty: 1.05 });
  const reply = await send(createAdapter({}), lane, ASK);
  assert.is(reply.finishReason, 'stop');
  const recorded = server.requests[0];
  assert.is(recorded.headers.authorization, undefined);
  assert.is((recorded.body as Record<string, unknown>)['min_p'], 0.05);
  assert.is((recorded.body as Record<string, unknown>)['repetition_penalty'], 1.05);
});

test('vllm uses VLLM_API_KEY when it is set', async ({ server }) => {
  await send(createAdapter({ VLLM_API_KEY: 'vllm-secret-key-123' }), laneAt(server, 'vllm', 'Qwen/Qwen3-8B'), ASK);
  assert.is(server.requests[0].headers.authorization, 'Bearer vllm-secret-key-123');
});

test('each hosted backend reads its usual variable; a missing one is an auth error naming it, nothing sent', async ({ server }) => {
  const cases: [BackendName, string][] = [['deepseek', 'DEEPSEEK_API_KEY'], ['moonshot', 'MOONSHOT_API_KEY'], ['openrouter', 'OPENROUTER_API_KEY'], ['together', 'TOGETHER_API_KEY']];
  for (const [backend, variable] of cases) {
    const lane = laneAt(server, backend, 'some-model');
    const error = await sendError(createAdapter({ OPENAI_API_KEY: 'sk-not-this-one-000000' }), lane, ASK);
    assert.is(error.kind, 'auth');
    assert.match(error.message, new RegExp(`^${variable} is not set`));
    assert.match(error.message, new RegExp(`openai-compatible/${backend}`));
    await send(createAdapter({ [variable]: KEY }), lane, ASK);
  }
  assert.is(server.stats.requests, cases.length);
});

test("a lane's api_key_env is required and wins over the backend's variable", async ({ server }) => {
  const lane = { ...laneAt(server, 'vllm', 'Qwen/Qwen3-8B'), api_key_env: 'LAB_VLLM_TOKEN' };
  const error = await sendError(createAdapter({ VLLM_API_KEY: 'vllm-secret-key-123' }), lane, ASK);
  assert.is(error.kind, 'auth');
  assert.match(error.message, /LAB_VLLM_TOKEN/);
  assert.is(server.stats.requests, 0);
  await send(createAdapter({ LAB_VLLM_TOKEN: 'lab-token-abcdef' }), lane, ASK);
  assert.is(server.requests[0].headers.authorization, 'Bearer lab-token-abcdef');
});

test('default base URLs per backend; vllm and generic need the lane’s base_url', () => {
  const adapter = createAdapter({});
  const url = (backend: BackendName) => adapter.buildRequest(makeLane({ provider: 'openai-compatible', backend, model: 'm' }), ASK).url;
  assert.is(url('deepseek'), 'https://api.deepseek.com/chat/completions');
  assert.is(url('moonshot'), 'https://api.moonshot.ai/v1/chat/completions');
  assert.is(url('openrouter'), 'https://openrouter.ai/api/v1/chat/completions');
  assert.is(url('together'), 'https://api.together.xyz/v1/chat/completions');
  for (const backend of ['vllm', 'generic'] as const) {
    try {
      url(backend);
      assert.unreachable('expected a ProviderError');
    } catch (error) {
      assert.match(String((error as Error).message), /needs base_url/);
    }
  }
});

test('cached tokens: prompt_tokens_details, DeepSeek prompt_cache_hit_tokens, Moonshot cached_tokens', async ({ server }) => {
  server.configure({ cache: { ttlMs: 60_000 } });
  const adapter = createAdapter({ DEEPSEEK_API_KEY: KEY });
  const lane = laneAt(server, 'deepseek', 'deepseek-chat');
  const request = (n: number): ChatRequest => ({ messages: [{ role: 'system', content: LONG_CONTEXT }, { role: 'user', content: `question ${n}` }], cachePrefix: 1 });
  await send(adapter, lane, request(1));
  const second = await send(adapter, lane, request(2));
  assert.is(second.tokens.cached_read, Math.ceil(LONG_CONTEXT.length / 4));

  // DeepSeek and Moonshot word it differently; a raw server shows the adapter reads both.
  const { tokensFromUsage } = await import('../../pipelines/providers/chatCompletions.ts');
  assert.is(tokensFromUsage({ prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_cache_hit_tokens: 64 }).cached_read, 64);
  assert.is(tokensFromUsage({ prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, cached_tokens: 32 }).cached_read, 32);
});

test('buildRequest returns the exact body the server received', async ({ server }) => {
  const adapter = createAdapter({ TOGETHER_API_KEY: KEY });
  const lane = laneAt(server, 'together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', HERMES_DIALS);
  for (const request of [{ ...ASK, seed: 2 }, { ...ASK, json: true, stream: true }] as ChatRequest[]) {
    server.reset();
    await send(adapter, lane, request);
    assert.equal(server.requests[0].body, adapter.buildRequest(lane, request).body);
  }
});

test('streams with usage and a time to first token', async ({ server }) => {
  const adapter = createAdapter({ DEEPSEEK_API_KEY: KEY });
  const lane = laneAt(server, 'deepseek', 'deepseek-reasoner');
  const reply = await send(adapter, lane, { ...ASK, stream: true });
  assert.ok(reply.text.length > 0);
  assert.ok(reply.ttftMs !== null);
  assert.ok(reply.tokens.prompt > 0 && reply.tokens.completion > 0);
});

test.run();

faultSuite('openai-compatible errors', async () => {
  const server = await startFakeOpenAI({ rejectTemperatureFor: null });
  const adapter = createAdapter({ OPENROUTER_API_KEY: KEY });
  const lane = makeLane({ provider: 'openai-compatible', backend: 'openrouter', model: 'nousresearch/hermes-4-70b', base_url: `${server.url}/v1` });
  return { server, adapter, lane, apiKey: KEY, close: () => server.close() };
});
