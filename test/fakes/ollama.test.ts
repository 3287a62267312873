import { Ollama } from 'ollama';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { catchError } from './catchError.ts';
import { startFakeOllama } from './index.ts';
import type { FakeOllama, FakeOllamaOptions } from './index.ts';

const MODEL = 'llama3.2';

/** ollama-js throws a ResponseError carrying the HTTP status; the package does not export its type. */
type ResponseError = Error & { status_code: number };

interface Context {
  server: FakeOllama;
  client: Ollama;
}

function withServer(name: string, options: FakeOllamaOptions = {}) {
  const test = suite<Context>(name, {} as Context);
  test.before.each(async (context) => {
    context.server = await startFakeOllama(options);
    context.client = new Ollama({ host: context.server.url });
  });
  test.after.each(async (context) => {
    await context.server.close();
  });
  return test;
}

const chat = (client: Ollama, content: string, options: Record<string, unknown> = {}) =>
  client.chat({ model: MODEL, messages: [{ role: 'user', content }], stream: false, options });

const basics = withServer('startFakeOllama', { models: ['llama3.2:latest', 'qwen3:8b'] });

basics('answers a chat with counts and durations', async ({ client }) => {
  const reply = await chat(client, 'What is 2+2?');
  assert.is(reply.model, MODEL);
  assert.is(reply.message.role, 'assistant');
  assert.ok(reply.message.content.length > 0);
  assert.is(reply.done, true);
  assert.is(reply.done_reason, 'stop');
  assert.is(reply.prompt_eval_count, Math.ceil('What is 2+2?'.length / 4));
  assert.is(reply.eval_count, Math.ceil(reply.message.content.length / 4));
  assert.ok(reply.eval_duration > 0 && reply.prompt_eval_duration > 0 && reply.load_duration > 0);
  assert.is(reply.total_duration, reply.load_duration + reply.prompt_eval_duration + reply.eval_duration);
  assert.ok(Date.parse(String(reply.created_at)) > 0);
});

basics('records the sampling options and keep_alive it was sent', async ({ server, client }) => {
  const options = {
    temperature: 0.3,
    top_p: 0.9,
    top_k: 40,
    min_p: 0.05,
    repeat_penalty: 1.1,
    frequency_penalty: 0.2,
    presence_penalty: 0.1,
    seed: 42,
    num_predict: 64,
  };
  await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: false, options, keep_alive: '5m' });
  const [call] = server.calls;
  assert.is(call.path, '/api/chat');
  assert.equal(call.options, options);
  assert.is(call.keepAlive, '5m');
  assert.is(call.stream, false);
});

basics('streams NDJSON parts that add up to the non-streamed reply', async ({ client }) => {
  const whole = await chat(client, 'Tell me a story');
  const stream = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'Tell me a story' }], stream: true });
  let text = '';
  let parts = 0;
  let last: Awaited<ReturnType<typeof chat>> | undefined;
  for await (const part of stream) {
    parts++;
    text += part.message.content;
    last = part;
  }
  assert.ok(parts > 2);
  assert.is(text, whole.message.content);
  assert.is(last?.done, true);
  assert.is(last?.eval_count, whole.eval_count);
  assert.is(last?.prompt_eval_count, whole.prompt_eval_count);
});

basics('streams when the request leaves stream out, as the server does', async ({ server }) => {
  const response = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hello there friend' }] }),
  });
  assert.is(response.headers.get('content-type'), 'application/x-ndjson');
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { done: boolean });
  assert.ok(lines.length > 1);
  assert.is(lines.at(-1)?.done, true);
  assert.ok(lines.slice(0, -1).every((line) => !line.done));
});

basics('generates from a prompt, streamed or not', async ({ server, client }) => {
  const reply = await client.generate({ model: MODEL, prompt: 'Why is the sky blue?', system: 'Be brief.', stream: false });
  assert.ok((reply.response ?? '').length > 0);
  assert.is(reply.done_reason, 'stop');
  assert.is(reply.prompt_eval_count, Math.ceil('Be brief.'.length / 4) + Math.ceil('Why is the sky blue?'.length / 4));
  let text = '';
  for await (const part of await client.generate({ model: MODEL, prompt: 'Why is the sky blue?', system: 'Be brief.', stream: true })) {
    text += part.response;
  }
  assert.is(text, reply.response);
  assert.equal(server.calls.map((call) => call.path), ['/api/generate', '/api/generate']);
});

basics('stops at num_predict with done_reason length', async ({ client }) => {
  const reply = await chat(client, 'Write at length', { num_predict: 2 });
  assert.is(reply.done_reason, 'length');
  assert.is(reply.eval_count, 2);
});

basics('returns thinking when think is set', async ({ client }) => {
  const reply = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'Why?' }], stream: false, think: true });
  assert.ok((reply.message.thinking ?? '').length > 0);
});

basics('lists the configured models as tags', async ({ client }) => {
  const { models } = await client.list();
  assert.equal(models.map((model) => model.name), ['llama3.2:latest', 'qwen3:8b']);
});

basics('answers 404 for a model it does not have', async ({ client }) => {
  const error = await catchError(client.chat({ model: 'mistral', messages: [{ role: 'user', content: 'hi' }], stream: false }));
  assert.is(error.name, 'ResponseError');
  assert.is((error as ResponseError).status_code, 404);
  assert.match(error.message, /model "mistral" not found/);
});

basics('surfaces injected errors as ResponseError with the status', async ({ server, client }) => {
  server.inject({ kind: 'status', status: 503, message: 'server busy' });
  const error = await catchError(chat(client, 'hi'));
  assert.is((error as ResponseError).status_code, 503);
  assert.is(error.message, 'server busy');
});

basics('a truncated stream fails the iteration', async ({ server, client }) => {
  server.inject({ kind: 'truncate' });
  const error = await catchError(
    (async () => {
      const stream = await client.chat({ model: MODEL, messages: [{ role: 'user', content: 'a question with several words' }], stream: true });
      for await (const _part of stream);
    })(),
  );
  assert.ok(error);
});

basics.run();
