import OpenAI from 'openai';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { catchError } from './catchError.ts';
import { startFakeOpenAI } from './index.ts';
import type { FakeOpenAI, FakeOpenAIOptions } from './index.ts';

const LONG_SYSTEM = 'You grade answers to multiple-choice questions carefully. '.repeat(20);

interface Context {
  server: FakeOpenAI;
  client: OpenAI;
}

function clientFor(server: FakeOpenAI, extra: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: `${server.url}/v1`, maxRetries: 0, ...extra });
}

function withServer(name: string, options: FakeOpenAIOptions = {}) {
  const test = suite<Context>(name, {} as Context);
  test.before.each(async (context) => {
    context.server = await startFakeOpenAI(options);
    context.client = clientFor(context.server);
  });
  test.after.each(async (context) => {
    await context.server.close();
  });
  return test;
}

const ask = (client: OpenAI, content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) =>
  client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }], ...extra });

const basics = withServer('startFakeOpenAI', { apiKey: 'sk-test' });

basics('answers a chat completion with usage the SDK parses', async ({ server, client }) => {
  const reply = await ask(client, 'What is 2+2?');
  assert.is(reply.object, 'chat.completion');
  assert.is(reply.model, 'gpt-4o-mini');
  assert.is(reply.choices[0].finish_reason, 'stop');
  assert.is(reply.choices[0].message.role, 'assistant');
  assert.ok((reply.choices[0].message.content ?? '').length > 0);
  assert.is(reply.choices[0].message.refusal, null);
  const usage = reply.usage!;
  assert.is(usage.prompt_tokens, Math.ceil('What is 2+2?'.length / 4));
  assert.is(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  assert.is(usage.prompt_tokens_details?.cached_tokens, 0);
  assert.is(usage.completion_tokens_details?.reasoning_tokens, 0);
  assert.is(server.requests[0].headers.authorization, 'Bearer sk-test');
  assert.is(server.requests[0].path, '/v1/chat/completions');
});

basics('gives the same answer to the same question', async ({ client }) => {
  const first = await ask(client, 'Pick A or B');
  const second = await ask(client, 'Pick A or B');
  const other = await ask(client, 'Pick C or D');
  assert.is(first.choices[0].message.content, second.choices[0].message.content);
  assert.is.not(first.choices[0].message.content, other.choices[0].message.content);
});

basics('sends x-request-id, readable through withResponse', async ({ client }) => {
  const { response, request_id } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  assert.ok(request_id?.startsWith('req_'));
  assert.is(response.headers.get('x-request-id'), request_id);
});

basics('streams chunks and a final usage chunk when include_usage is set', async ({ client }) => {
  const whole = await ask(client, 'Tell me a story');
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Tell me a story' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  assert.ok(chunks > 3);
  assert.is(text, whole.choices[0].message.content);
  assert.is(finish, 'stop');
  assert.equal(usage, whole.usage);
});

basics('streams without a usage chunk when include_usage is not set', async ({ client }) => {
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  });
  for await (const chunk of stream) {
    assert.is(chunk.usage, undefined);
    assert.is(chunk.choices.length, 1);
  }
});

basics('stops with finish_reason length at max_tokens and max_completion_tokens', async ({ client }) => {
  const viaMaxTokens = await ask(client, 'Write at length', { max_tokens: 2 });
  assert.is(viaMaxTokens.choices[0].finish_reason, 'length');
  assert.is(viaMaxTokens.usage?.completion_tokens, 2);
  const viaCompletion = await ask(client, 'Write at length', { max_completion_tokens: 3 });
  assert.is(viaCompletion.choices[0].finish_reason, 'length');
  assert.is(viaCompletion.usage?.completion_tokens, 3);
});

basics('rejects a wrong key with 401 invalid_api_key', async ({ server }) => {
  const error = await catchError(ask(clientFor(server, { apiKey: 'sk-wrong-key-123456' }), 'hi'));
  assert.instance(error, OpenAI.AuthenticationError);
  const authError = error as InstanceType<typeof OpenAI.AuthenticationError>;
  assert.is(authError.status, 401);
  assert.is(authError.code, 'invalid_api_key');
  assert.match(authError.message, /Incorrect API key provided/);
});

basics('rejects malformed JSON and missing fields with 400 invalid_request_error', async ({ server, client }) => {
  const raw = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: '{"model": "gpt-4o-mini", "messages": [',
  });
  assert.is(raw.status, 400);
  const body = (await raw.json()) as { error: { type: string; message: string } };
  assert.is(body.error.type, 'invalid_request_error');
  assert.match(body.error.message, /could not parse the JSON body/);

  const missing = await catchError(client.chat.completions.create({ model: 'gpt-4o-mini' } as never));
  assert.instance(missing, OpenAI.BadRequestError);
  assert.is((missing as InstanceType<typeof OpenAI.BadRequestError>).param, 'messages');
  const noModel = await catchError(client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }] } as never));
  assert.instance(noModel, OpenAI.BadRequestError);
  assert.match(noModel.message, /you must provide a model parameter/);
});

basics('rejects temperature for reasoning models like the real API', async ({ client }) => {
  for (const model of ['o3-mini', 'gpt-5', 'o1']) {
    const error = await catchError(
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], temperature: 0.2 }),
    );
    assert.instance(error, OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    assert.is(bad.param, 'temperature');
    assert.is(bad.code, 'unsupported_parameter');
    assert.match(bad.message, /Unsupported parameter: 'temperature'/);
  }
  const fine = await ask(client, 'hi', { temperature: 0.2 });
  assert.is(fine.choices[0].finish_reason, 'stop');
});

basics('lists models', async ({ client }) => {
  const models = await client.models.list();
  assert.ok(models.data.some((model) => model.id === 'gpt-4o-mini'));
  assert.is(models.data[0].object, 'model');
});

basics('uses a custom responder and reports its reasoning tokens', async ({ server, client }) => {
  server.configure({
    respond: (request) => ({ text: `{"answer":"${request.turns.length}"}`, reasoningTokens: 40 }),
  });
  const reply = await ask(client, 'x', { max_completion_tokens: 100 });
  assert.is(reply.choices[0].message.content, '{"answer":"1"}');
  assert.is(reply.usage?.completion_tokens_details?.reasoning_tokens, 40);
  assert.is(reply.usage?.completion_tokens, 40 + Math.ceil('{"answer":"1"}'.length / 4));
  const starved = await ask(client, 'x', { max_completion_tokens: 30 });
  assert.is(starved.choices[0].finish_reason, 'length');
  assert.is(starved.choices[0].message.content, '');
});

const faults = withServer('startFakeOpenAI faults');

faults('surfaces an injected 429 as RateLimitError with retry-after headers', async ({ server, client }) => {
  server.inject({ kind: 'status', status: 429, retryAfterSeconds: 7 });
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, OpenAI.RateLimitError);
  const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
  assert.is(limited.status, 429);
  assert.is(limited.code, 'rate_limit_exceeded');
  assert.is(limited.headers?.get('retry-after'), '7');
  assert.is(limited.headers?.get('retry-after-ms'), '7000');
  assert.ok(limited.headers?.get('x-request-id'));
  const after = await ask(client, 'hi');
  assert.is(after.choices[0].finish_reason, 'stop');
  assert.is(server.stats.rateLimited, 1);
  assert.equal(server.stats.byStatus, { 200: 1, 429: 1 });
});

faults('lets the SDK retry after exactly retry-after-ms', async ({ server }) => {
  const client = clientFor(server, { maxRetries: 1 });
  server.inject({ kind: 'status', status: 429, retryAfterMs: 250 });
  const started = Date.now();
  const reply = await ask(client, 'hi');
  const waited = Date.now() - started;
  assert.is(reply.choices[0].finish_reason, 'stop');
  assert.ok(waited >= 240, `waited ${waited} ms`);
  assert.ok(waited < 2000, `waited ${waited} ms, so the SDK ignored retry-after-ms`);
  assert.is(server.stats.requests, 2);
  assert.is(server.requests[1].headers['x-stainless-retry-count'], '1');
});

faults('maps 5xx faults to the SDK server errors', async ({ server, client }) => {
  server.inject({ kind: 'status', status: 500 });
  server.inject({ kind: 'status', status: 503 });
  server.inject({ kind: 'status', status: 502 });
  const first = await catchError(ask(client, 'hi'));
  assert.instance(first, OpenAI.InternalServerError);
  assert.is((first as InstanceType<typeof OpenAI.APIError>).status, 500);
  assert.match(first.message, /The server had an error/);
  const second = await catchError(ask(client, 'hi'));
  assert.is((second as InstanceType<typeof OpenAI.APIError>).status, 503);
  const third = await catchError(ask(client, 'hi'));
  assert.is((third as InstanceType<typeof OpenAI.APIError>).status, 502);
});

faults('applies scripted faults by request index', async ({ server, client }) => {
  server.configure({ faultFor: (index) => (index % 2 === 1 ? { kind: 'status', status: 500 } : undefined) });
  const outcomes: string[] = [];
  for (let i = 0; i < 4; i++) {
    outcomes.push(await ask(client, 'hi').then(() => 'ok', () => 'error'));
  }
  assert.equal(outcomes, ['ok', 'error', 'ok', 'error']);
});

faults('a truncated body fails the call', async ({ server, client }) => {
  server.inject({ kind: 'truncate' });
  const error = await catchError(ask(client, 'hi'));
  assert.not.instance(error, OpenAI.APIError);
  server.inject({ kind: 'truncate' });
  const streamed = await catchError(
    (async () => {
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'a longer question so the stream has several chunks' }],
        stream: true,
      });
      for await (const _chunk of stream);
    })(),
  );
  assert.ok(streamed);
  assert.is(server.stats.faults.truncate, 2);
});

faults('a reset connection is an APIConnectionError', async ({ server, client }) => {
  server.inject({ kind: 'reset' });
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, OpenAI.APIConnectionError);
});

faults('a hung request times out in the SDK, and close() still returns', async ({ server }) => {
  server.inject({ kind: 'hang' }, 2);
  const client = clientFor(server, { timeout: 150 });
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, OpenAI.APIConnectionTimeoutError);
  const abandoned = fetch(`${server.url}/v1/models`).then(
    () => 'answered',
    () => 'dropped',
  );
  await waitFor(() => server.stats.inFlight === 1);
  await server.close();
  assert.is(await abandoned, 'dropped');
});

faults('delays by latencyMs and by delay faults', async ({ server, client }) => {
  server.configure({ latencyMs: () => 60 });
  let started = Date.now();
  await ask(client, 'hi');
  assert.ok(Date.now() - started >= 55);
  server.configure({ latencyMs: 0 });
  server.inject({ kind: 'delay', ms: 80 });
  started = Date.now();
  await ask(client, 'hi');
  assert.ok(Date.now() - started >= 75);
});

faults('counts the most requests in flight at once', async ({ server, client }) => {
  server.configure({ latencyMs: 50 });
  await Promise.all(Array.from({ length: 5 }, () => ask(client, 'hi')));
  assert.is(server.stats.maxInFlight, 5);
  assert.is(server.stats.inFlight, 0);
});

const caching = withServer('startFakeOpenAI cache', { cache: { ttlMs: 150, minTokens: 64 } });

const conversation = (question: string): OpenAI.ChatCompletionMessageParam[] => [
  { role: 'system', content: LONG_SYSTEM },
  { role: 'user', content: question },
];

caching('reports cached_tokens on the second call with the same prefix', async ({ server, client }) => {
  const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation('Q1') });
  const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation('Q2') });
  const systemTokens = Math.ceil(LONG_SYSTEM.length / 4);
  assert.is(first.usage?.prompt_tokens_details?.cached_tokens, 0);
  assert.is(second.usage?.prompt_tokens_details?.cached_tokens, systemTokens);
  assert.ok(second.usage!.prompt_tokens > systemTokens);
  assert.is(server.stats.cacheWrites, 1);
  assert.is(server.stats.cacheReads, 1);
  assert.is(server.stats.cachedTokens, systemTokens);
});

caching('hits the longest cached prefix as a conversation grows', async ({ client }) => {
  const turns = conversation('Q1');
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: turns });
  const grown: OpenAI.ChatCompletionMessageParam[] = [...turns, { role: 'assistant', content: 'A1' }, { role: 'user', content: 'Q2' }];
  const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: grown });
  assert.is(reply.usage?.prompt_tokens_details?.cached_tokens, Math.ceil(LONG_SYSTEM.length / 4));
});

caching('misses after the TTL, and not for another model or a short prefix', async ({ client }) => {
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation('Q1') });
  const otherModel = await client.chat.completions.create({ model: 'gpt-4o', messages: conversation('Q1') });
  assert.is(otherModel.usage?.prompt_tokens_details?.cached_tokens, 0);
  const short = [{ role: 'system' as const, content: 'short' }, { role: 'user' as const, content: 'Q' }];
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: short });
  const shortAgain = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: short });
  assert.is(shortAgain.usage?.prompt_tokens_details?.cached_tokens, 0);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const expired = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation('Q2') });
  assert.is(expired.usage?.prompt_tokens_details?.cached_tokens, 0);
});

caching('reports cached_tokens in the streamed usage chunk', async ({ client }) => {
  await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation('Q1') });
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: conversation('Q2'),
    stream: true,
    stream_options: { include_usage: true },
  });
  let cached: number | undefined;
  for await (const chunk of stream) cached = chunk.usage?.prompt_tokens_details?.cached_tokens ?? cached;
  assert.is(cached, Math.ceil(LONG_SYSTEM.length / 4));
});

const limits = withServer('startFakeOpenAI rate limit', { rateLimit: { requestsPerMinute: 3, windowMs: 400 } });

limits('answers 429 to the request past the limit, with x-ratelimit headers', async ({ server, client }) => {
  for (let i = 0; i < 3; i++) {
    const { response } = await ask(client, 'hi').withResponse();
    assert.is(response.headers.get('x-ratelimit-limit-requests'), '3');
    assert.is(response.headers.get('x-ratelimit-remaining-requests'), String(2 - i));
    assert.ok(response.headers.get('x-ratelimit-reset-requests'));
  }
  const error = await catchError(ask(client, 'hi'));
  assert.instance(error, OpenAI.RateLimitError);
  const limited = error as InstanceType<typeof OpenAI.RateLimitError>;
  const retryMs = Number(limited.headers?.get('retry-after-ms'));
  assert.ok(retryMs > 0 && retryMs <= 400, `retry-after-ms ${retryMs}`);
  assert.is(limited.headers?.get('retry-after'), '1');
  assert.is(limited.headers?.get('x-ratelimit-remaining-requests'), '0');
  assert.match(limited.message, /requests per min \(RPM\): Limit 3, Used 3, Requested 1/);
  assert.is(server.stats.rateLimited, 1);
});

limits('frees a slot exactly when retry-after-ms says, so one SDK retry succeeds', async ({ server }) => {
  const client = clientFor(server, { maxRetries: 1 });
  await Promise.all([ask(client, 'a'), ask(client, 'b'), ask(client, 'c')]);
  const reply = await ask(client, 'd');
  assert.is(reply.choices[0].finish_reason, 'stop');
  assert.is(server.stats.rateLimited, 1);
  assert.is(server.stats.byStatus[200], 4);
});

limits('limits tokens per window', async ({ server, client }) => {
  server.configure({ rateLimit: { tokensPerMinute: 100, windowMs: 60_000 } });
  await ask(client, 'x'.repeat(200), { max_tokens: 10 });
  const { response } = await ask(client, 'hi', { max_tokens: 10 }).withResponse();
  assert.is(response.headers.get('x-ratelimit-remaining-tokens'), String(100 - 60 - 11));
  const error = await catchError(ask(client, 'x'.repeat(200), { max_tokens: 10 }));
  assert.instance(error, OpenAI.RateLimitError);
  assert.match(error.message, /tokens per min \(TPM\)/);
});

const recording = withServer('startFakeOpenAI recording', { record: 2 });

recording('keeps only the most recent requests when record is a number', async ({ server, client }) => {
  for (const content of ['a', 'b', 'c']) await ask(client, content);
  assert.is(server.requests.length, 2);
  assert.equal(
    server.requests.map((request) => (request.body as { messages: { content: string }[] }).messages[0].content),
    ['b', 'c'],
  );
  server.configure({ record: false });
  await ask(client, 'd');
  assert.is(server.requests.length, 0);
  assert.is(server.stats.requests, 4);
  server.reset();
  assert.is(server.stats.requests, 0);
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'condition never became true');
}

basics.run();
faults.run();
caching.run();
limits.run();
recording.run();
