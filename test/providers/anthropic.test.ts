import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMessagesBody, createAdapter, deprecationNotices, tokensFromUsage } from '../../pipelines/providers/anthropic.ts';
import type { ChatRequest } from '../../core/chat.ts';
import { createMemoryOutput } from '../../lib/output.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/index.ts';
import { ASK, LONG_CONTEXT, faultSuite, makeLane, send, sendError } from './kit.ts';

const KEY = 'sk-ant-test-0123456789abcdef';
const MODEL = 'claude-sonnet-4-6';

interface Context {
  server: FakeAnthropic;
  env: NodeJS.ProcessEnv;
}

const test = suite<Context>('anthropic createAdapter', {} as Context);
test.before.each(async (context) => {
  context.server = await startFakeAnthropic({ apiKey: KEY });
  context.env = { ANTHROPIC_API_KEY: KEY };
});
test.after.each(async (context) => {
  await context.server.close();
});

const laneAt = (server: FakeAnthropic, dials = {}) => makeLane({ provider: 'anthropic', model: MODEL, base_url: server.url, dials: { max_output_tokens: 1024, ...dials } });
const bodyOf = (server: FakeAnthropic, index = 0) => server.requests[index].body as Record<string, unknown>;

/** A system prompt, a shared context, then the question: the first two are the cached prefix. */
const withContext = (question: string, cachePrefix: number): ChatRequest => ({
  messages: [{ role: 'system', content: 'You answer from the passage.' }, { role: 'user', content: LONG_CONTEXT }, { role: 'user', content: question }],
  cachePrefix,
});

test('system goes to `system` as text blocks; dials map to max_tokens, temperature, top_p, top_k', async ({ server, env }) => {
  await send(createAdapter(env), laneAt(server, { temperature: 0.4, top_p: 0.9, top_k: 20, max_output_tokens: 700 }), { ...ASK, seed: 4 });
  assert.equal(bodyOf(server), {
    model: MODEL, max_tokens: 700, system: [{ type: 'text', text: 'Answer briefly.' }], messages: [{ role: 'user', content: 'What is 2+2?' }],
    temperature: 0.4, top_p: 0.9, top_k: 20,
  });
});

test('cache_control marks the last block of the shared prefix: a system block …', async ({ server, env }) => {
  await send(createAdapter(env), laneAt(server), { ...ASK, cachePrefix: 1 });
  assert.equal(bodyOf(server)['system'], [{ type: 'text', text: 'Answer briefly.', cache_control: { type: 'ephemeral' } }]);
  assert.equal(bodyOf(server)['messages'], [{ role: 'user', content: 'What is 2+2?' }]);
});

test('… or a message content block', async ({ server, env }) => {
  await send(createAdapter(env), laneAt(server), withContext('Who approved it?', 2));
  const body = bodyOf(server);
  assert.equal(body['system'], [{ type: 'text', text: 'You answer from the passage.' }]);
  assert.equal(body['messages'], [
    { role: 'user', content: [{ type: 'text', text: LONG_CONTEXT, cache_control: { type: 'ephemeral' } }] },
    { role: 'user', content: 'Who approved it?' },
  ]);
});

test('replicates hit the prompt cache: prompt counts every input token, cached_read and cache_write split it', async ({ server, env }) => {
  server.configure({ cache: { ttlMs: 60_000 } });
  const adapter = createAdapter(env);
  const lane = laneAt(server);
  const first = await send(adapter, lane, withContext('Who approved it?', 2));
  const second = await send(adapter, lane, withContext('How often did they meet?', 2));
  const prefix = Math.ceil('You answer from the passage.'.length / 4) + Math.ceil(LONG_CONTEXT.length / 4);
  assert.is(first.tokens.cache_write, prefix);
  assert.is(first.tokens.cached_read, 0);
  assert.is(first.tokens.prompt, prefix + Math.ceil('Who approved it?'.length / 4));
  assert.is(second.tokens.cached_read, prefix);
  assert.is(second.tokens.cache_write, 0);
  assert.is(second.tokens.prompt, prefix + Math.ceil('How often did they meet?'.length / 4));
  assert.is(server.stats.cacheReads, 1);
});

test('extended thinking: thinking.enabled with the budget, no temperature unless set; text leaves the thinking out', async ({ server, env }) => {
  server.configure({ respond: () => ({ text: 'B', reasoning: 'Let me weigh the options carefully before answering.' }) });
  const adapter = createAdapter(env);
  const reply = await send(adapter, laneAt(server, { thinking: true, thinking_budget_tokens: 2048, max_output_tokens: 4096 }), ASK);
  const body = bodyOf(server);
  assert.equal(body['thinking'], { type: 'enabled', budget_tokens: 2048 });
  assert.not.ok('temperature' in body);
  assert.is(reply.text, 'B');
  const thinkingTokens = Math.ceil('Let me weigh the options carefully before answering.'.length / 4);
  assert.is(reply.tokens.reasoning, thinkingTokens);
  assert.is(reply.tokens.completion, thinkingTokens + 1);
  await send(adapter, laneAt(server, { thinking: true, thinking_budget_tokens: 2048, max_output_tokens: 4096, temperature: 1 }), ASK);
  assert.is(bodyOf(server, 1)['temperature'], 1);
});

test('without a thinking split in the usage, reasoning is estimated from the thinking text', () => {
  const usage = { input_tokens: 10, output_tokens: 50, cache_read_input_tokens: null, cache_creation_input_tokens: null };
  assert.is(tokensFromUsage(usage, 'x'.repeat(80)).reasoning, 20);
  assert.is(tokensFromUsage(usage, 'x'.repeat(800)).reasoning, 50);
  assert.is(tokensFromUsage(usage, '').reasoning, 0);
  assert.is(tokensFromUsage({ ...usage, output_tokens_details: { thinking_tokens: 33 } }, 'x'.repeat(80)).reasoning, 33);
});

test('streams with the same text and usage as a plain call, and measures time to first token', async ({ server, env }) => {
  server.configure({ respond: () => ({ text: 'The committee approved the budget.', reasoning: 'Reading the passage first.' }) });
  const adapter = createAdapter(env);
  const lane = laneAt(server, { thinking: true, thinking_budget_tokens: 1024, max_output_tokens: 2048 });
  const whole = await send(adapter, lane, ASK);
  server.configure({ latencyMs: 30 });
  const streamed = await send(adapter, lane, { ...ASK, stream: true });
  assert.is(bodyOf(server, 1)['stream'], true);
  assert.is(streamed.text, whole.text);
  assert.is(streamed.finishReason, 'end_turn');
  assert.equal(streamed.tokens, whole.tokens);
  assert.ok(streamed.ttftMs !== null && streamed.ttftMs >= 25, `ttft ${streamed.ttftMs}`);
});

test('buildRequest returns the exact body the server received, and the URL', async ({ server, env }) => {
  const adapter = createAdapter(env);
  const lanes = [laneAt(server, { temperature: 0.2, top_k: 5 }), laneAt(server, { thinking: true, thinking_budget_tokens: 1024, max_output_tokens: 3000 })];
  for (const lane of lanes) {
    for (const request of [withContext('Who?', 2), { ...ASK, stream: true, maxOutputTokens: 2000 }]) {
      server.reset();
      await send(adapter, lane, request);
      const built = adapter.buildRequest(lane, request);
      assert.equal(server.requests[0].body, built.body);
      assert.is(built.url, `${server.url}/v1/messages`);
    }
  }
});

test('base URL: the lane, else ANTHROPIC_BASE_URL, else the SDK default', async ({ server }) => {
  const lane = makeLane({ provider: 'anthropic', model: MODEL, dials: { max_output_tokens: 100 } });
  const adapter = createAdapter({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });
  await send(adapter, lane, ASK);
  assert.is(server.stats.requests, 1);
  assert.is(createAdapter({}).buildRequest(lane, ASK).url, 'https://api.anthropic.com/v1/messages');
});

test('max_output_tokens is required: an invalid_request before anything is sent', async ({ server, env }) => {
  const lane = makeLane({ provider: 'anthropic', model: MODEL, base_url: server.url });
  const error = await sendError(createAdapter(env), lane, ASK);
  assert.is(error.kind, 'invalid_request');
  assert.match(error.message, /max_output_tokens/);
  assert.is(server.stats.requests, 0);
});

test('a missing ANTHROPIC_API_KEY is an auth error naming it, and nothing is sent', async ({ server }) => {
  const error = await sendError(createAdapter({ OPENAI_API_KEY: 'sk-other-0000000000' }), laneAt(server), ASK);
  assert.is(error.kind, 'auth');
  assert.match(error.message, /ANTHROPIC_API_KEY/);
  assert.is(server.stats.requests, 0);
});

test('a wrong key is the server’s 401 → auth, and the message does not hold it', async ({ server }) => {
  const wrong = 'sk-ant-wrong-abcdefghijklmnop';
  const error = await sendError(createAdapter({ ANTHROPIC_API_KEY: wrong }), laneAt(server), ASK);
  assert.is(error.kind, 'auth');
  assert.match(error.message, /^anthropic HTTP 401 authentication_error/);
  assert.not.ok(error.message.includes(wrong));
});

test('a server-side validation error (temperature above 1) → invalid_request', async ({ server, env }) => {
  const error = await sendError(createAdapter(env), laneAt(server, { temperature: 1.5 }), ASK);
  assert.is(error.kind, 'invalid_request');
  assert.match(error.message, /temperature/);
});

// https://platform.claude.com/docs/en/api/errors and /rate-limits: each error type the Messages API sends, as the SDK sees it.
test('every Anthropic error type is classified: billing and spend limits → quota, timeout_error → timeout, overloaded → server', async ({ server, env }) => {
  const cases: [Parameters<FakeAnthropic['inject']>[0], string, boolean][] = [
    [{ kind: 'status', status: 400 }, 'invalid_request', false],
    [{ kind: 'status', status: 401 }, 'auth', false],
    [{ kind: 'status', status: 402 }, 'quota', false],
    [{ kind: 'status', status: 400, type: 'billing_error' }, 'quota', false],
    [{ kind: 'status', status: 400, message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' }, 'quota', false],
    [{ kind: 'status', status: 400, message: 'You have reached your specified API usage limits. You will regain access on 2026-10-01 at 00:00 UTC.' }, 'quota', false],
    [{ kind: 'status', status: 403 }, 'auth', false],
    [{ kind: 'status', status: 404 }, 'invalid_request', false],
    [{ kind: 'status', status: 413 }, 'invalid_request', false],
    [{ kind: 'status', status: 429, retryAfterSeconds: 1 }, 'rate_limit', true],
    [{ kind: 'status', status: 429, code: 'enforced_spend_limit_reached' }, 'quota', false],
    [{ kind: 'status', status: 500 }, 'server', true],
    [{ kind: 'status', status: 504 }, 'timeout', true],
    [{ kind: 'status', status: 529 }, 'server', true],
  ];
  const adapter = createAdapter(env);
  for (const [fault, kind, retryable] of cases) {
    server.inject(fault);
    const error = await sendError(adapter, laneAt(server), ASK);
    const label = JSON.stringify(fault);
    assert.equal([error.kind, error.httpStatus, error.retryable], [kind, fault.kind === 'status' ? fault.status : null, retryable], `${label}: ${error.message}`);
  }
  assert.is(server.stats.requests, cases.length, 'the SDK retried none of them');
});

test('a 429 from the input-tokens-per-minute limit → rate_limit, with retry-after and the message that names the limit', async ({ server, env }) => {
  server.configure({ rateLimit: { inputTokensPerMinute: 20 } });
  const adapter = createAdapter(env);
  await send(adapter, laneAt(server), ASK);
  const error = await sendError(adapter, laneAt(server), { messages: [{ role: 'user', content: 'x'.repeat(60) }] });
  assert.equal([error.kind, error.httpStatus, error.retryable], ['rate_limit', 429, true]);
  assert.ok(error.retryAfterMs !== null && error.retryAfterMs > 0 && error.retryAfterMs <= 60_000 && error.retryAfterMs % 1000 === 0, `retryAfterMs ${error.retryAfterMs}`);
  assert.match(error.message, /^anthropic HTTP 429 rate_limit_error: This request would exceed your organization's rate limit of 20 input tokens per minute/);
});

test('deprecation notices go to the adapter’s log once each per adapter, never to console.warn', async ({ server, env }) => {
  const logs = [createMemoryOutput(), createMemoryOutput()];
  const [first, second] = logs.map((log) => createAdapter(env, { log }));
  const deprecated = makeLane({ provider: 'anthropic', model: 'claude-sonnet-4-5', base_url: server.url, dials: { max_output_tokens: 64 } });
  const thinking = makeLane({ provider: 'anthropic', model: 'claude-opus-4-6', base_url: server.url, dials: { thinking: true, thinking_budget_tokens: 1024, max_output_tokens: 2048 } });
  const console_ = console.warn;
  const consoleWarnings: unknown[][] = [];
  // a spy, not a fix: the adapter must not need it
  console.warn = (...args: unknown[]) => void consoleWarnings.push(args);
  try {
    for (let i = 0; i < 3; i++) {
      await send(first, deprecated, ASK);
      await send(first, thinking, ASK);
    }
    await send(second, deprecated, { ...ASK, stream: true });
  } finally {
    console.warn = console_;
  }
  assert.equal(consoleWarnings, []);
  assert.is(server.requests.length, 7, 'every request is still sent');
  const [firstLog, secondLog] = logs.map((log) => log.logText);
  assert.is(firstLog.length, 2);
  assert.match(firstLog[0], /^warning: The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life/);
  assert.match(firstLog[1], /claude-opus-4-6 and 'thinking.type=enabled' is deprecated/);
  assert.equal(secondLog, [firstLog[0]], 'each adapter shows a notice once');
});

test('deprecationNotices says what the installed SDK’s messages.create would print, for the same models', () => {
  // The SDK keeps its lists private; read them from its source, so an SDK upgrade that changes them fails here.
  const source = readFileSync(new URL('../../node_modules/@anthropic-ai/sdk/resources/messages/messages.js', import.meta.url), 'utf8');
  const endOfLife = Object.fromEntries([...(/const DEPRECATED_MODELS = \{([^}]*)\}/.exec(source)?.[1] ?? '').matchAll(/'([^']+)':\s*'([^']+)'/g)].map((m) => [m[1], m[2]]));
  const thinking = [...(/const MODELS_TO_WARN_WITH_THINKING_ENABLED = \[([^\]]*)\]/.exec(source)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
  assert.ok(Object.keys(endOfLife).length > 0 && thinking.length > 0, 'the SDK source still has both lists');
  for (const [model, date] of Object.entries(endOfLife)) {
    assert.equal(deprecationNotices({ model }), [`The model '${model}' is deprecated and will reach end-of-life on ${date}\nPlease migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.`]);
  }
  for (const model of thinking) {
    assert.is(deprecationNotices({ model, thinking: { type: 'enabled', budget_tokens: 1024 } }).length, 1, model);
    assert.equal(deprecationNotices({ model }), [], `${model} without extended thinking`);
  }
  assert.equal(deprecationNotices({ model: MODEL, thinking: { type: 'enabled', budget_tokens: 1024 } }), []);
});

test('buildMessagesBody leaves out empty fields', () => {
  const body = buildMessagesBody(makeLane({ provider: 'anthropic', model: MODEL, dials: { max_output_tokens: 10 } }), { messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(body, { model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
});

test.run();

faultSuite('anthropic errors', async () => {
  const server = await startFakeAnthropic();
  const adapter = createAdapter({ ANTHROPIC_API_KEY: KEY });
  const lane = makeLane({ provider: 'anthropic', model: MODEL, base_url: server.url, dials: { max_output_tokens: 256 } });
  return { server, adapter, lane, apiKey: KEY, close: () => server.close() };
});
