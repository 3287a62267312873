import type { OutgoingHttpHeaders } from 'node:http';
import { complete, optionalCount, stopList } from './completion.ts';
import type { Completion } from './completion.ts';
import { faultRetryHeaders, formatRetryAfter } from './faults.ts';
import { asRecord, jsonReply, splitForStream, startFake } from './http.ts';
import type { Exchange, FakeContext, Provider, Reply } from './http.ts';
import { estimateTurnsTokens } from './tokens.ts';
import type { ChatTurn, FakeServer, FakeServerOptions } from './types.ts';

export type FakeOllamaOptions = FakeServerOptions;

/** What a chat or generate call asked for, read from the recorded requests. */
export interface OllamaCall {
  readonly path: string;
  readonly model: unknown;
  readonly options: Readonly<Record<string, unknown>> | undefined;
  readonly keepAlive: unknown;
  readonly think: unknown;
  readonly format: unknown;
  /** As Ollama reads it: absent means streaming. */
  readonly stream: boolean;
}

export interface FakeOllama extends FakeServer<FakeOllamaOptions> {
  /** Chat and generate calls among the recorded requests (needs `record` on). */
  readonly calls: readonly OllamaCall[];
}

const DEFAULT_MODELS = ['llama3.2:latest', 'qwen3:8b', 'gemma3:4b'];
const GENERATION_PATHS = new Set(['/api/chat', '/api/generate']);
// Deterministic timings (ns) so tests can assert on them: a 1 ms load, 5000 tok/s prompt eval, 100 tok/s generation.
const LOAD_NS = 1_000_000;
const PROMPT_NS_PER_TOKEN = 200_000;
const EVAL_NS_PER_TOKEN = 10_000_000;

/** Start a fake Ollama server; pass `server.url` as the client's host. */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const server = await startFake(ollamaProvider, options);
  return Object.defineProperty(server, 'calls', {
    get: () =>
      server.requests
        .filter((request) => request.method === 'POST' && GENERATION_PATHS.has(request.path))
        .map((request) => callOf(request.path, asRecord(request.body) ?? {})),
  }) as FakeOllama;
}

function callOf(path: string, body: Record<string, unknown>): OllamaCall {
  return {
    path,
    model: body.model,
    options: asRecord(body.options),
    keepAlive: body.keep_alive,
    think: body.think,
    format: body.format,
    stream: body.stream !== false,
  };
}

const ollamaProvider: Provider<FakeOllamaOptions> = {
  handle(exchange, context) {
    const path = exchange.path.split('?')[0];
    const { apiKey } = context.options;
    if (apiKey !== undefined && exchange.headers.authorization !== `Bearer ${apiKey}`) {
      return ollamaError(401, 'unauthorized', {});
    }
    if (exchange.method === 'POST' && (path === '/api/chat' || path === '/api/generate')) {
      return generate(exchange, context, path === '/api/chat');
    }
    if (exchange.method === 'GET' && path === '/api/tags') return jsonReply(200, tags(context.options));
    if (exchange.method === 'GET' && path === '/api/version') return jsonReply(200, { version: '0.12.0' });
    if ((exchange.method === 'GET' || exchange.method === 'HEAD') && path === '/') {
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Ollama is running' };
    }
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found' };
  },
  statusReply(fault) {
    return ollamaError(fault.status, fault.message ?? `injected error ${fault.status}`, faultRetryHeaders(fault, false));
  },
};

// https://github.com/ollama/ollama/blob/main/docs/api.md#errors
function ollamaError(status: number, message: string, headers: OutgoingHttpHeaders): Reply {
  return jsonReply(status, { error: message }, { ...headers, 'content-type': 'application/json; charset=utf-8' });
}

async function generate(exchange: Exchange, context: FakeContext<FakeOllamaOptions>, isChat: boolean): Promise<Reply> {
  const { options } = context;
  const body = asRecord(exchange.body);
  if (body === undefined) return ollamaError(400, 'invalid request body', {});
  const model = body.model;
  if (typeof model !== 'string' || model === '') return ollamaError(400, 'model is required', {});
  if (options.models !== undefined && !options.models.some((known) => sameModel(known, model))) {
    return ollamaError(404, `model "${model}" not found, try pulling it first`, {});
  }
  const turns = isChat ? chatTurns(body.messages) : generateTurns(body);
  const stream = body.stream !== false;
  const createdAt = new Date().toISOString();
  if (!turns.some((turn) => turn.role !== 'system')) return loaded(model, createdAt, isChat, stream);

  const modelOptions = asRecord(body.options) ?? {};
  const numPredict = optionalCount(modelOptions.num_predict);
  const promptTokens = estimateTurnsTokens(turns);
  const verdict = context.admit(promptTokens, numPredict ?? 0);
  if (verdict !== undefined && !verdict.allowed) {
    return ollamaError(429, 'rate limit exceeded', formatRetryAfter(verdict.retryAfterMs, false));
  }
  const think = body.think !== undefined && body.think !== false;
  const request = { provider: 'ollama' as const, index: exchange.index, model, turns, body };
  const completion = await complete(options.respond, request, {
    maxTokens: numPredict,
    stop: stopList(modelOptions.stop),
    showReasoning: think,
  });
  const final = { ...finalFields(completion, promptTokens), done: true };
  if (!stream) {
    const answer = content(isChat, completion.text, think ? completion.reasoning : undefined);
    return jsonReply(200, { model, created_at: createdAt, ...answer, ...final });
  }
  let ndjson = '';
  const line = (value: Record<string, unknown>) => {
    ndjson += `${JSON.stringify({ model, created_at: createdAt, ...value })}\n`;
  };
  if (think) for (const piece of splitForStream(completion.reasoning)) line({ ...content(isChat, '', piece), done: false });
  for (const piece of splitForStream(completion.text)) line({ ...content(isChat, piece, undefined), done: false });
  line({ ...content(isChat, '', undefined), ...final });
  return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, body: ndjson };
}

function content(isChat: boolean, text: string, thinking: string | undefined): Record<string, unknown> {
  if (isChat) {
    const message: Record<string, unknown> = { role: 'assistant', content: text };
    if (thinking !== undefined) message.thinking = thinking;
    return { message };
  }
  return thinking === undefined ? { response: text } : { response: text, thinking };
}

function finalFields(completion: Completion, promptTokens: number): Record<string, unknown> {
  const promptNs = promptTokens * PROMPT_NS_PER_TOKEN;
  const evalNs = completion.outputTokens * EVAL_NS_PER_TOKEN;
  return {
    done_reason: completion.stop === 'length' ? 'length' : 'stop',
    total_duration: LOAD_NS + promptNs + evalNs,
    load_duration: LOAD_NS,
    prompt_eval_count: promptTokens,
    prompt_eval_duration: promptNs,
    eval_count: completion.outputTokens,
    eval_duration: evalNs,
  };
}

/** Ollama's answer to a call with nothing to generate: it just loads the model. */
function loaded(model: string, createdAt: string, isChat: boolean, stream: boolean): Reply {
  const value = { model, created_at: createdAt, ...content(isChat, '', undefined), done_reason: 'load', done: true };
  if (!stream) return jsonReply(200, value);
  return { status: 200, headers: { 'content-type': 'application/x-ndjson' }, body: `${JSON.stringify(value)}\n` };
}

function chatTurns(messages: unknown): ChatTurn[] {
  if (!Array.isArray(messages)) return [];
  return messages.map((message) => {
    const record = asRecord(message);
    const role = typeof record?.role === 'string' ? record.role : 'user';
    return { role, text: typeof record?.content === 'string' ? record.content : '' };
  });
}

function generateTurns(body: Record<string, unknown>): ChatTurn[] {
  const turns: ChatTurn[] = [];
  if (typeof body.system === 'string' && body.system !== '') turns.push({ role: 'system', text: body.system });
  if (typeof body.prompt === 'string' && body.prompt !== '') turns.push({ role: 'user', text: body.prompt });
  return turns;
}

/** "llama3.2" names the same model as "llama3.2:latest". */
function sameModel(known: string, asked: string): boolean {
  const tagged = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return tagged(known) === tagged(asked);
}

function tags(options: FakeOllamaOptions) {
  const models = (options.models ?? DEFAULT_MODELS).map((name) => {
    const tagged = name.includes(':') ? name : `${name}:latest`;
    return {
      name: tagged,
      model: tagged,
      modified_at: '2025-01-01T00:00:00Z',
      size: 2_019_393_189,
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '3.2B',
        quantization_level: 'Q4_K_M',
      },
    };
  });
  return { models };
}
