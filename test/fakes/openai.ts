import type { OutgoingHttpHeaders } from 'node:http';
import { complete, optionalCount, stopList } from './completion.ts';
import { faultRetryHeaders } from './faults.ts';
import type { StatusFault } from './faults.ts';
import { asRecord, jsonReply, MalformedBody, startFake } from './http.ts';
import type { Exchange, FakeContext, Provider, Reply } from './http.ts';
import {
  chatCompletion,
  chatCompletionStream,
  openaiError,
  openaiRateHeaders,
  openaiRateLimited,
} from './openaiWire.ts';
import type { ChatReplyParts } from './openaiWire.ts';
import { chainPrefixes } from './prefixCache.ts';
import { estimateTokens, estimateTurnsTokens } from './tokens.ts';
import type { ChatTurn, FakeServer, FakeServerOptions } from './types.ts';

export interface FakeOpenAIOptions extends FakeServerOptions {
  /**
   * Models that reject `temperature` with 400 unsupported_parameter, as reasoning models do.
   * Default /^(o\d|gpt-5)/; null turns the rule off.
   */
  rejectTemperatureFor?: RegExp | null;
}

export type FakeOpenAI = FakeServer<FakeOpenAIOptions>;

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini'];
const DEFAULT_REJECT_TEMPERATURE = /^(o\d|gpt-5)/;

/** Start a fake of the OpenAI REST API; point the SDK at `${server.url}/v1`. */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  return startFake(openaiProvider, options);
}

const openaiProvider: Provider<FakeOpenAIOptions> = {
  handle(exchange, context) {
    const path = exchange.path.split('?')[0];
    const headers = baseHeaders(exchange);
    const authError = checkAuth(exchange, context.options.apiKey, headers);
    if (authError !== undefined) return authError;
    if (exchange.method === 'POST' && path === '/v1/chat/completions') return chatCompletions(exchange, context, headers);
    if (exchange.method === 'GET' && path === '/v1/models') return jsonReply(200, listModels(context.options), headers);
    if (exchange.method === 'GET' && path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (!knowsModel(context.options, id)) return modelNotFound(id, headers);
      return jsonReply(200, modelObject(id), headers);
    }
    return openaiError(404, `Invalid URL (${exchange.method} ${path})`, 'invalid_request_error', null, null, headers);
  },
  statusReply(fault, exchange) {
    return statusFaultReply(fault, { ...baseHeaders(exchange), ...faultRetryHeaders(fault, true) });
  },
};

function baseHeaders(exchange: Exchange): OutgoingHttpHeaders {
  return { 'x-request-id': exchange.requestId, 'openai-version': '2020-10-01', 'openai-processing-ms': '1' };
}

function checkAuth(exchange: Exchange, apiKey: string | undefined, headers: OutgoingHttpHeaders): Reply | undefined {
  if (apiKey === undefined) return undefined;
  const auth = exchange.headers.authorization;
  if (auth === undefined || !auth.startsWith('Bearer ')) {
    const message =
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
      '(i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.';
    return openaiError(401, message, 'invalid_request_error', null, null, headers);
  }
  const given = auth.slice('Bearer '.length);
  if (given === apiKey) return undefined;
  const message =
    `Incorrect API key provided: ${maskKey(given)}. ` +
    'You can find your API key at https://platform.openai.com/account/api-keys.';
  return openaiError(401, message, 'invalid_request_error', null, 'invalid_api_key', headers);
}

function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

async function chatCompletions(
  exchange: Exchange,
  context: FakeContext<FakeOpenAIOptions>,
  headers: OutgoingHttpHeaders,
): Promise<Reply> {
  const { options } = context;
  const body = asRecord(exchange.body);
  if (body === undefined) return unparsable(exchange.body, headers);
  const model = body.model;
  if (typeof model !== 'string' || model === '') {
    return openaiError(400, 'you must provide a model parameter', 'invalid_request_error', null, null, headers);
  }
  const messages = body.messages;
  if (!Array.isArray(messages)) {
    const message = "Missing required parameter: 'messages'.";
    return openaiError(400, message, 'invalid_request_error', 'messages', 'missing_required_parameter', headers);
  }
  if (messages.length === 0) {
    const message =
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.";
    return openaiError(400, message, 'invalid_request_error', 'messages', 'empty_array', headers);
  }
  if (!knowsModel(options, model)) return modelNotFound(model, headers);
  const temperatureError = checkTemperature(model, body.temperature, options.rejectTemperatureFor, headers);
  if (temperatureError !== undefined) return temperatureError;

  const turns = messages.map(turnOf);
  const promptTokens = estimateTurnsTokens(turns);
  const maxTokens = optionalCount(body.max_completion_tokens) ?? optionalCount(body.max_tokens);
  const cost = promptTokens + (maxTokens ?? 0);
  const verdict = context.admit(promptTokens, maxTokens ?? 0);
  const limitHeaders = { ...headers, ...openaiRateHeaders(verdict, options.rateLimit === false ? undefined : options.rateLimit?.advertise) };
  if (verdict !== undefined && !verdict.allowed) return openaiRateLimited(model, verdict, cost, limitHeaders);

  const cachedTokens = options.cache ? useCache(context, model, messages, turns) : 0;
  const request = { provider: 'openai' as const, index: exchange.index, model, turns, body };
  const completion = await complete(options.respond, request, { maxTokens, stop: stopList(body.stop) });
  const id = `chatcmpl-${exchange.requestId.slice(4)}`;
  const parts: ChatReplyParts = { id, model, promptTokens, cachedTokens, completion };
  if (body.stream !== true) return jsonReply(200, chatCompletion(parts), limitHeaders);
  const includeUsage = asRecord(body.stream_options)?.include_usage === true;
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...limitHeaders },
    body: chatCompletionStream(parts, includeUsage),
  };
}

function unparsable(body: unknown, headers: OutgoingHttpHeaders): Reply {
  const message =
    body instanceof MalformedBody || body === undefined
      ? "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library " +
        'correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)'
      : 'Invalid type for request body: expected an object.';
  return openaiError(400, message, 'invalid_request_error', null, null, headers);
}

// https://platform.openai.com/docs/guides/reasoning: reasoning models only take the default temperature.
function checkTemperature(
  model: string,
  temperature: unknown,
  rule: RegExp | null | undefined,
  headers: OutgoingHttpHeaders,
): Reply | undefined {
  if (temperature === undefined || temperature === null) return undefined;
  const rejecting = rule === undefined ? DEFAULT_REJECT_TEMPERATURE : rule;
  if (rejecting !== null && rejecting.test(model)) {
    const message = "Unsupported parameter: 'temperature' is not supported with this model.";
    return openaiError(400, message, 'invalid_request_error', 'temperature', 'unsupported_parameter', headers);
  }
  if (typeof temperature !== 'number') {
    const message = `Invalid type for 'temperature': expected a decimal, but got ${typeof temperature} instead.`;
    return openaiError(400, message, 'invalid_request_error', 'temperature', 'invalid_type', headers);
  }
  if (temperature < 0) {
    const message =
      `Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got ${temperature} instead.`;
    return openaiError(400, message, 'invalid_request_error', 'temperature', 'decimal_below_min_value', headers);
  }
  if (temperature > 2) {
    const message =
      `Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got ${temperature} instead.`;
    return openaiError(400, message, 'invalid_request_error', 'temperature', 'decimal_above_max_value', headers);
  }
  return undefined;
}

function turnOf(message: unknown): ChatTurn {
  const record = asRecord(message);
  if (record === undefined) return { role: 'user', text: '' };
  const role = typeof record.role === 'string' ? record.role : 'user';
  let text = contentText(record.content);
  if (record.tool_calls !== undefined) text += JSON.stringify(record.tool_calls);
  return { role, text };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      const record = asRecord(part);
      return record?.type === 'text' && typeof record.text === 'string' ? record.text : `[${String(record?.type)}]`;
    })
    .join('\n');
}

// https://platform.openai.com/docs/guides/prompt-caching: automatic, over the prompt's prefix.
// Here every message boundary before the last message can hit; the whole prefix is stored.
function useCache(
  context: FakeContext<FakeOpenAIOptions>,
  model: string,
  messages: readonly unknown[],
  turns: readonly ChatTurn[],
): number {
  const parts = messages
    .slice(0, -1)
    .map((message, i) => ({ content: JSON.stringify(message), tokens: estimateTokens(turns[i].text) }));
  const prefixes = chainPrefixes(`openai:${model}`, parts);
  return context.useCache(prefixes, prefixes.slice(-1)).readTokens;
}

// https://platform.openai.com/docs/guides/error-codes#api-errors: the 429 an account out of credits gets, retried in vain.
const INSUFFICIENT_QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
  'read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';

function statusFaultReply(fault: StatusFault, headers: OutgoingHttpHeaders): Reply {
  const { status } = fault;
  if (fault.type === 'insufficient_quota') {
    const message = fault.message ?? INSUFFICIENT_QUOTA_MESSAGE;
    return openaiError(status, message, 'insufficient_quota', null, fault.code ?? 'insufficient_quota', headers);
  }
  if (fault.type !== undefined) {
    return openaiError(status, fault.message ?? `Injected error ${status}.`, fault.type, null, fault.code ?? null, headers);
  }
  if (status === 429) {
    const message = fault.message ?? 'Rate limit reached for requests. Please try again later.';
    return openaiError(429, message, 'requests', null, 'rate_limit_exceeded', headers);
  }
  if (status === 502) return openaiError(502, fault.message ?? 'Bad gateway.', 'cf_bad_gateway', null, 502, headers);
  if (status === 503) {
    const message = fault.message ?? 'The server is overloaded or not ready yet.';
    return openaiError(503, message, 'server_error', null, null, headers);
  }
  if (status >= 500) {
    const message = fault.message ?? 'The server had an error while processing your request. Sorry about that!';
    return openaiError(status, message, 'server_error', null, null, headers);
  }
  return openaiError(status, fault.message ?? `Injected error ${status}.`, 'invalid_request_error', null, null, headers);
}

function knowsModel(options: FakeOpenAIOptions, model: string): boolean {
  return options.models === undefined || options.models.includes(model);
}

function modelNotFound(model: string, headers: OutgoingHttpHeaders): Reply {
  const message = `The model \`${model}\` does not exist or you do not have access to it.`;
  return openaiError(404, message, 'invalid_request_error', null, 'model_not_found', headers);
}

function modelObject(id: string) {
  return { id, object: 'model', created: 1_700_000_000, owned_by: 'system' };
}

function listModels(options: FakeOpenAIOptions) {
  return { object: 'list', data: (options.models ?? DEFAULT_MODELS).map(modelObject) };
}
