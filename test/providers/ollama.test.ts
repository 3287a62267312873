import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createAdapter, formatOllamaHost } from '../../pipelines/providers/ollama.ts';
import type { ChatRequest } from '../../core/chat.ts';
import { startFakeOllama, type FakeOllama } from '../fakes/index.ts';
import { ASK, faultSuite, makeLane, send, sendError, startRawServer } from './kit.ts';

const MODEL = 'llama3.2';

interface Context {
  server: FakeOllama;
}

const test = suite<Context>('ollama createAdapter', {} as Context);
test.before.each(async (context) => {
  context.server = await startFakeOllama();
});
test.after.each(async (context) => {
  await context.server.close();
});

const laneAt = (server: FakeOllama, dials = {}) => makeLane({ provider: 'ollama', model: MODEL, base_url: server.url, dials });

test('dials go in `options` (repeat_penalty, num_predict), with keep_alive 30m by default', async ({ server }) => {
  const dials = { temperature: 0.8, top_p: 0.9, top_k: 40, min_p: 0.05, repetition_penalty: 1.1, frequency_penalty: 0.2, presence_penalty: 0.1, max_output_tokens: 64 };
  await send(createAdapter({}), laneAt(server, dials), { ...ASK, seed: 42 });
  const [call] = server.calls;
  assert.equal(call.options, { temperature: 0.8, top_p: 0.9, top_k: 40, min_p: 0.05, repeat_penalty: 1.1, frequency_penalty: 0.2, presence_penalty: 0.1, seed: 42, num_predict: 64 });
  assert.is(call.keepAlive, '30m');
  assert.is(call.stream, false);
  assert.is(call.path, '/api/chat');
  assert.equal((server.requests[0].body as Record<string, unknown>)['messages'], ASK.messages);
});

test('OLLAMA_KEEP_ALIVE sets keep_alive; a bare number is seconds', async ({ server }) => {
  await send(createAdapter({ OLLAMA_KEEP_ALIVE: '2h' }), laneAt(server), ASK);
  await send(createAdapter({ OLLAMA_KEEP_ALIVE: '3600' }), laneAt(server), ASK);
  assert.equal(server.calls.map((c) => c.keepAlive), ['2h', 3600]);
});

test('json asks for format json', async ({ server }) => {
  server.configure({ respond: () => ({ text: '{"answer":"A"}' }) });
  const reply = await send(createAdapter({}), laneAt(server), { ...ASK, json: true });
  assert.is(server.calls[0].format, 'json');
  assert.is(reply.text, '{"answer":"A"}');
});

test('usage: prompt_eval_count and eval_count; time to first token from load + prompt eval durations', async ({ server }) => {
  const reply = await send(createAdapter({}), laneAt(server), ASK);
  const promptTokens = Math.ceil('Answer briefly.'.length / 4) + Math.ceil('What is 2+2?'.length / 4);
  assert.equal(reply.tokens, { prompt: promptTokens, completion: Math.ceil(reply.text.length / 4), cached_read: 0, cache_write: 0, reasoning: 0 });
  assert.is(reply.finishReason, 'stop');
  // The fake loads in 1 ms and reads 5000 tokens a second.
  assert.is(reply.ttftMs, Math.round((1_000_000 + promptTokens * 200_000) / 1e6));
});

test('streams NDJSON: same text and usage, measured time to first token', async ({ server }) => {
  const adapter = createAdapter({});
  const whole = await send(adapter, laneAt(server), ASK);
  server.configure({ latencyMs: 30 });
  const streamed = await send(adapter, laneAt(server), { ...ASK, stream: true });
  assert.is(server.calls[1].stream, true);
  assert.is(streamed.text, whole.text);
  assert.equal(streamed.tokens, whole.tokens);
  assert.ok(streamed.ttftMs !== null && streamed.ttftMs >= 25, `ttft ${streamed.ttftMs}`);
});

test('buildRequest returns the exact body the server received, and the URL', async ({ server }) => {
  const adapter = createAdapter({});
  const lane = laneAt(server, { temperature: 0.3, repetition_penalty: 1.2, max_output_tokens: 50 });
  for (const request of [{ ...ASK, seed: 1 }, { ...ASK, json: true, stream: true }, { messages: [{ role: 'user', content: 'hi' }] }] as ChatRequest[]) {
    server.reset();
    await send(adapter, lane, request);
    const built = adapter.buildRequest(lane, request);
    assert.equal(server.requests[0].body, built.body);
    assert.is(built.url, `${server.url}/api/chat`);
  }
});

test('host: the lane, else OLLAMA_HOST, else 127.0.0.1:11434, formatted as ollama-js does', async ({ server }) => {
  const lane = makeLane({ provider: 'ollama', model: MODEL });
  await send(createAdapter({ OLLAMA_HOST: server.url.replace('http://', '') }), lane, ASK);
  assert.is(server.stats.requests, 1);
  assert.is(createAdapter({}).buildRequest(lane, ASK).url, 'http://127.0.0.1:11434/api/chat');
  assert.is(formatOllamaHost('gpu-box'), 'http://gpu-box:11434');
  assert.is(formatOllamaHost(':8080'), 'http://127.0.0.1:8080');
  assert.is(formatOllamaHost('https://ollama.example.org/'), 'https://ollama.example.org:443');
});

test("a lane's api_key_env is sent as a bearer token; missing, it is an auth error and nothing is sent", async ({ server }) => {
  server.configure({ apiKey: 'ollama-proxy-token-123' });
  const lane = { ...laneAt(server), api_key_env: 'OLLAMA_PROXY_TOKEN' };
  const error = await sendError(createAdapter({}), lane, ASK);
  assert.is(error.kind, 'auth');
  assert.match(error.message, /OLLAMA_PROXY_TOKEN/);
  assert.is(server.stats.requests, 0);
  await send(createAdapter({ OLLAMA_PROXY_TOKEN: 'ollama-proxy-token-123' }), lane, ASK);
  assert.is(server.requests[0].headers.authorization, 'Bearer ollama-proxy-token-123');
});

test('an unknown model is the server’s 404 → invalid_request', async ({ server }) => {
  server.configure({ models: ['qwen3:8b'] });
  const error = await sendError(createAdapter({}), laneAt(server), ASK);
  assert.is(error.kind, 'invalid_request');
  assert.is(error.httpStatus, 404);
  assert.match(error.message, /not found/);
});

test('a proxy’s HTML error page → classified by status, its text in the message, nothing on stdout', async () => {
  const proxy = await startRawServer(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
  const logged: unknown[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void logged.push(args);
  try {
    const error = await sendError(createAdapter({}), makeLane({ provider: 'ollama', model: MODEL, base_url: proxy.url }), ASK);
    assert.is(error.kind, 'server');
    assert.is(error.httpStatus, 502);
    assert.match(error.message, /502 Bad Gateway/);
  } finally {
    console.log = log;
    await proxy.close();
  }
  assert.equal(logged, []);
});

test.run();

faultSuite('ollama errors', async () => {
  const server = await startFakeOllama();
  const apiKey = 'ollama-proxy-token-abcdef';
  const adapter = createAdapter({ OLLAMA_PROXY_TOKEN: apiKey });
  const lane = makeLane({ provider: 'ollama', model: MODEL, base_url: server.url, api_key_env: 'OLLAMA_PROXY_TOKEN' });
  return { server, adapter, lane, apiKey, close: () => server.close() };
});
