import Anthropic from '@anthropic-ai/sdk';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { catchError } from './catchError.ts';
import { startFakeAnthropic } from './index.ts';
import type { FakeAnthropic, FakeAnthropicOptions } from './index.ts';

const MODEL = 'claude-sonnet-4-6';
const LONG_SYSTEM = 'You grade answers to multiple-choice questions carefully. '.repeat(20);

interface Context {
  server: FakeAnthropic;
  client: Anthropic;
}

function clientFor(server: FakeAnthropic, extra: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}): Anthropic {
  return new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.url, maxRetries: 0, ...extra });
}

function withServer(name: string, options: FakeAnthropicOptions = {}) {
  const test = suite<Context>(name, {} as Context);
  test.before.each(async (context) => {
    context.server = await startFakeAnthropic(options);
    context.client = clientFor(context.server);
  });
  test.after.each(async (context) => {
    await context.server.close();
  });
  return test;
}

const ask = (client: Anthropic, content: string, extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) =>
  client.messages.create({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content }], ...extra });

type ApiError = InstanceType<typeof Anthropic.APIError>;

/** The `error` object of Anthropic's error body, as the SDK exposes it. */
function errorBody(error: Error): { type: string; message: string } {
  return ((error as ApiError).error as { error: { type: string; message: string } }).error;
}

const basics = withServer('startFakeAnthropic', { apiKey: 'sk-ant-test' });

basics('answers a message with usage the SDK parses', async ({ server, client }) => {
  const message = await ask(client, 'What is 2+2?');
  assert.is(message.type, 'message');
  assert.is(message.role, 'assistant');
  assert.is(message.model, MODEL);
  assert.is(message.stop_reason, 'end_turn');
  assert.is(message.stop_sequence, null);
  assert.is(message.content.length, 1);
  assert.is(message.content[0].type, 'text');
  assert.is(message.usage.input_tokens, Math.ceil('What is 2+2?'.length / 4));
  assert.ok(message.usage.output_tokens > 0);
  assert.is(message.usage.cache_creation_input_tokens, 0);
  assert.is(message.usage.cache_read_input_tokens, 0);
  const recorded = server.requests[0];
  // SDK versions differ: older ones send x-api-key, this one sends the key as a Bearer token.
  const sentKey = recorded.headers['x-api-key'] ?? recorded.headers.authorization?.replace(/^Bearer /, '');
  assert.is(sentKey, 'sk-ant-test');
  assert.ok(recorded.headers['anthropic-version']);
});

basics('rejects a wrong key with 401 authentication_error', async ({ server }) => {
  const error = await catchError(ask(clientFor(server, { apiKey: 'nope' }), 'hi'));
  assert.instance(error, Anthropic.AuthenticationError);
  assert.is(errorBody(error).type, 'authentication_error');
});

basics('requires a key and the anthropic-version header', async ({ server }) => {
  const body = JSON.stringify({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  const keyless = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01' }, body });
  assert.is(keyless.status, 401);
  assert.equal(((await keyless.json()) as { error: unknown }).error, {
    type: 'authentication_error',
    message: 'x-api-key header is required',
  });
  const response = await fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': 'sk-ant-test', 'content-type': 'application/json' },
    body,
  });
  assert.is(response.status, 400);
  const error = (await response.json()) as { type: string; error: { type: string; message: string } };
  assert.is(error.type, 'error');
  assert.is(error.error.type, 'invalid_request_error');
  assert.match(error.error.message, /anthropic-version/);
});

basics('validates the request like the API', async ({ client }) => {
  // This SDK's types no longer list temperature, but callers still send it; the API still checks it.
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ max_tokens: undefined }, /^max_tokens: Field required$/],
    [{ temperature: 1.5 }, /temperature: Input should be less than or equal to 1/],
    [{ temperature: -0.1 }, /temperature: Input should be greater than or equal to 0/],
    [{ max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 512 } }, /budget_tokens: Input should be greater than or equal to 1024/],
    [{ max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 2048 } }, /`max_tokens` must be greater than `thinking.budget_tokens`/],
    [{ max_tokens: 4096, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } }, /`temperature` may only be set to 1/],
    [{ messages: [] }, /messages: at least one message is required/],
  ];
  for (const [extra, pattern] of cases) {
    const error = await catchError(ask(client, 'hi', extra as Partial<Anthropic.MessageCreateParamsNonStreaming>));
    assert.instance(error, Anthropic.BadRequestError);
    assert.is(errorBody(error).type, 'invalid_request_error');
    assert.match(errorBody(error).message, pattern);
  }
  const atOne = { max_tokens: 4096, temperature: 1, thinking: { type: 'enabled', budget_tokens: 1024 } };
  const fine = await ask(client, 'hi', atOne as Partial<Anthropic.MessageCreateParamsNonStreaming>);
  assert.is(fine.stop_reason, 'end_turn');
});

basics('answers 404 not_found_error for models outside a configured list', async ({ server, client }) => {
  server.configure({ models: ['claude-haiku-4-5'] });
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, Anthropic.NotFoundError);
  assert.is(errorBody(error).message, `model: ${MODEL}`);
});

basics('returns a thinking block with a signature when thinking is enabled', async ({ client }) => {
  const message = await ask(client, 'Why?', { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } });
  assert.equal(
    message.content.map((block) => block.type),
    ['thinking', 'text'],
  );
  const thinking = message.content[0] as Anthropic.ThinkingBlock;
  assert.ok(thinking.thinking.length > 0);
  assert.ok(thinking.signature.length > 0);
  const text = (message.content[1] as Anthropic.TextBlock).text;
  assert.is(message.usage.output_tokens, Math.ceil(thinking.thinking.length / 4) + Math.ceil(text.length / 4));
});

basics('stops with max_tokens and at stop sequences', async ({ server, client }) => {
  server.configure({ respond: () => ({ text: 'alpha beta STOP gamma delta epsilon' }) });
  const short = await ask(client, 'hi', { max_tokens: 2 });
  assert.is(short.stop_reason, 'max_tokens');
  assert.is(short.usage.output_tokens, 2);
  const stopped = await ask(client, 'hi', { stop_sequences: ['STOP'] });
  assert.is(stopped.stop_reason, 'stop_sequence');
  assert.is(stopped.stop_sequence, 'STOP');
  assert.is((stopped.content[0] as Anthropic.TextBlock).text, 'alpha beta ');
});

basics('streams the real event sequence', async ({ client }) => {
  const whole = await ask(client, 'Tell me a story', { max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } });
  const stream = await client.messages.create({
    model: MODEL,
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [{ role: 'user', content: 'Tell me a story' }],
    stream: true,
  });
  const events: string[] = [];
  for await (const event of stream) {
    const last = events.at(-1);
    const label = event.type === 'content_block_delta' ? `delta:${event.delta.type}` : event.type;
    if (label !== last) events.push(label);
  }
  assert.equal(events, [
    'message_start',
    'content_block_start',
    'delta:thinking_delta',
    'delta:signature_delta',
    'content_block_stop',
    'content_block_start',
    'delta:text_delta',
    'content_block_stop',
    'message_delta',
    'message_stop',
  ]);
  const streamed = await client.messages
    .stream({
      model: MODEL,
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Tell me a story' }],
    })
    .finalMessage();
  assert.equal(streamed.content, whole.content);
  assert.is(streamed.stop_reason, 'end_turn');
  assert.is(streamed.usage.output_tokens, whole.usage.output_tokens);
  assert.is(streamed.usage.input_tokens, whole.usage.input_tokens);
});

basics('counts tokens', async ({ client }) => {
  const counted = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x'.repeat(40) }] });
  assert.is(counted.input_tokens, 10);
});

const faults = withServer('startFakeAnthropic faults');

faults('surfaces 429 as RateLimitError with retry-after', async ({ server, client }) => {
  server.inject({ kind: 'status', status: 429, retryAfterSeconds: 3 });
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, Anthropic.RateLimitError);
  assert.is((error as ApiError).headers?.get('retry-after'), '3');
  assert.is((error as ApiError).headers?.get('retry-after-ms'), null);
  assert.is(errorBody(error).type, 'rate_limit_error');
  assert.ok((error as ApiError).requestID?.startsWith('req_'));
});

faults('surfaces 529 as OverloadedError and 500 as InternalServerError', async ({ server, client }) => {
  server.inject({ kind: 'status', status: 529 });
  server.inject({ kind: 'status', status: 500 });
  const overloaded = await catchError(ask(client, 'hi'));
  assert.instance(overloaded, Anthropic.OverloadedError);
  assert.is(errorBody(overloaded).type, 'overloaded_error');
  const internal = await catchError(ask(client, 'hi'));
  assert.instance(internal, Anthropic.InternalServerError);
  assert.is(errorBody(internal).type, 'api_error');
});

faults('lets the SDK retry after an explicit retry-after-ms', async ({ server }) => {
  server.inject({ kind: 'status', status: 529, retryAfterMs: 200 });
  const started = Date.now();
  const message = await ask(clientFor(server, { maxRetries: 1 }), 'hi');
  assert.is(message.stop_reason, 'end_turn');
  assert.ok(Date.now() - started >= 190);
});

faults('a hung request times out in the SDK', async ({ server }) => {
  server.inject({ kind: 'hang' });
  const error = await catchError(ask(clientFor(server, { timeout: 150 }), 'hi'));
  assert.instance(error, Anthropic.APIConnectionTimeoutError);
});

faults('a truncated stream fails the call', async ({ server, client }) => {
  server.inject({ kind: 'truncate' });
  const error = await catchError(client.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage());
  assert.ok(error);
});

const caching = withServer('startFakeAnthropic cache', { cache: { ttlMs: 1000, minTokens: 64 } });

const cachedSystem: Anthropic.TextBlockParam[] = [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral' } }];

caching('writes the marked prefix first, then reads it', async ({ server, client }) => {
  const systemTokens = Math.ceil(LONG_SYSTEM.length / 4);
  const first = await ask(client, 'Q1', { system: cachedSystem });
  assert.is(first.usage.cache_creation_input_tokens, systemTokens);
  assert.is(first.usage.cache_read_input_tokens, 0);
  assert.is(first.usage.input_tokens, 1);
  const second = await ask(client, 'Q2', { system: cachedSystem });
  assert.is(second.usage.cache_creation_input_tokens, 0);
  assert.is(second.usage.cache_read_input_tokens, systemTokens);
  assert.is(second.usage.input_tokens, 1);
  assert.equal(
    [server.stats.cacheWrites, server.stats.cacheReads, server.stats.cachedTokens],
    [1, 1, systemTokens],
  );
});

caching('does not cache unmarked prompts', async ({ client }) => {
  await ask(client, 'Q1', { system: LONG_SYSTEM });
  const second = await ask(client, 'Q1', { system: LONG_SYSTEM });
  assert.is(second.usage.cache_read_input_tokens, 0);
  assert.is(second.usage.cache_creation_input_tokens, 0);
});

caching('reads the earlier breakpoint and writes the rest when the mark moves forward', async ({ client }) => {
  const turn1 = 'First question, long enough to matter. '.repeat(10);
  const marked = (text: string): Anthropic.ContentBlockParam[] => [{ type: 'text', text, cache_control: { type: 'ephemeral' } }];
  const first = await client.messages.create({
    model: MODEL,
    max_tokens: 100,
    system: cachedSystem,
    messages: [{ role: 'user', content: marked(turn1) }],
  });
  const written = first.usage.cache_creation_input_tokens!;
  const second = await client.messages.create({
    model: MODEL,
    max_tokens: 100,
    system: cachedSystem,
    messages: [
      { role: 'user', content: turn1 },
      { role: 'assistant', content: 'Answer one.' },
      { role: 'user', content: marked('Second question?') },
    ],
  });
  assert.is(second.usage.cache_read_input_tokens, written);
  assert.is(second.usage.cache_creation_input_tokens, Math.ceil('Answer one.'.length / 4) + Math.ceil('Second question?'.length / 4));
  assert.is(second.usage.input_tokens, 0);
});

caching('reports cache usage in streamed messages', async ({ client }) => {
  await ask(client, 'Q1', { system: cachedSystem });
  const message = await client.messages
    .stream({ model: MODEL, max_tokens: 100, system: cachedSystem, messages: [{ role: 'user', content: 'Q2' }] })
    .finalMessage();
  assert.is(message.usage.cache_read_input_tokens, Math.ceil(LONG_SYSTEM.length / 4));
});

const limits = withServer('startFakeAnthropic rate limit', { rateLimit: { requestsPerMinute: 2 } });

limits('answers 429 rate_limit_error past the limit, with anthropic-ratelimit headers', async ({ client }) => {
  const { response } = await ask(client, 'a').withResponse();
  assert.is(response.headers.get('anthropic-ratelimit-requests-limit'), '2');
  assert.is(response.headers.get('anthropic-ratelimit-requests-remaining'), '1');
  assert.ok(Date.parse(response.headers.get('anthropic-ratelimit-requests-reset') ?? '') > 0);
  await ask(client, 'b');
  const error = await catchError(ask(client, 'c'));
  assert.instance(error, Anthropic.RateLimitError);
  const retryAfter = Number((error as ApiError).headers?.get('retry-after'));
  assert.ok(retryAfter > 0 && retryAfter <= 60, `retry-after ${retryAfter}`);
  assert.is(errorBody(error).type, 'rate_limit_error');
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const tokenLimits = withServer('startFakeAnthropic input and output token limits', {
  rateLimit: { requestsPerMinute: 50, inputTokensPerMinute: 2000, outputTokensPerMinute: 1000 },
});

tokenLimits('sends the requests, input-tokens, output-tokens and tokens headers as the API does', async ({ client }) => {
  const started = Date.now();
  const { response } = await ask(client, 'x'.repeat(4000)).withResponse(); // 1000 input tokens, 256 output tokens asked for
  const header = (name: string) => response.headers.get(`anthropic-ratelimit-${name}`);
  assert.equal([header('requests-limit'), header('requests-remaining')], ['50', '49']);
  // token counts remaining are rounded to the nearest thousand
  assert.equal([header('input-tokens-limit'), header('input-tokens-remaining')], ['2000', '1000']);
  assert.equal([header('output-tokens-limit'), header('output-tokens-remaining')], ['1000', '1000']);
  assert.equal([header('tokens-limit'), header('tokens-remaining')], ['3000', '2000'], 'tokens-* is input + output');
  for (const name of ['requests', 'input-tokens', 'output-tokens', 'tokens']) {
    const reset = header(`${name}-reset`) ?? '';
    assert.match(reset, RFC3339, name);
    assert.ok(Date.parse(reset) >= Math.floor(started / 1000) * 1000 && Date.parse(reset) <= Date.now() + 61_000, `${name}-reset ${reset}`);
  }
  assert.is(response.headers.get('retry-after'), null, 'retry-after only on a 429');
});

tokenLimits('a request past the input tokens a minute is a 429 that says so, with retry-after', async ({ client, server }) => {
  await ask(client, 'x'.repeat(4000));
  const error = await catchError(ask(client, 'y'.repeat(6000)));
  assert.instance(error, Anthropic.RateLimitError);
  assert.match(errorBody(error).message, /^This request would exceed your organization's rate limit of 2,000 input tokens per minute \(org: [0-9a-f-]+, model: claude-sonnet-4-6\)\. For details, refer to: https:\/\/docs\.claude\.com\/en\/api\/rate-limits\./);
  const headers = (error as ApiError).headers;
  const retryAfter = Number(headers?.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `retry-after ${retryAfter}`);
  assert.is(headers?.get('anthropic-ratelimit-input-tokens-remaining'), '1000');
  assert.is(server.stats.rateLimited, 1);
  const output = await catchError(ask(client, 'z', { max_tokens: 900 }));
  assert.match(errorBody(output).message, /rate limit of 1,000 output tokens per minute/, 'output tokens are counted at max_tokens');
});

basics.run();
faults.run();
caching.run();
limits.run();
tokenLimits.run();
