import type { OutgoingHttpHeaders } from 'node:http';
import {
  cachePlan,
  parsePrompt,
  thinkingOf,
  totalTokens,
  validateMessagesBody,
} from './anthropicRequest.ts';
import {
  anthropicError,
  anthropicRateHeaders,
  errorTypeFor,
  messageObject,
  messageStream,
  rateLimitMessage,
  stockMessage,
} from './anthropicWire.ts';
import type { MessageParts } from './anthropicWire.ts';
import { complete, stopList } from './completion.ts';
import { faultRetryHeaders } from './faults.ts';
import { asRecord, jsonReply, startFake } from './http.ts';
import type { Exchange, FakeContext, Provider, Reply } from './http.ts';
import { NO_CACHE_USE } from './prefixCache.ts';
import type { FakeServer, FakeServerOptions } from './types.ts';

export type FakeAnthropicOptions = FakeServerOptions;
export type FakeAnthropic = FakeServer<FakeAnthropicOptions>;

const DEFAULT_MODELS = ['claude-sonnet-4-6', 'claude-haiku-4-5', 'claude-opus-4-7'];
const NOT_AN_OBJECT = 'There was an error parsing the body of your request: not a JSON object';

/** Start a fake of the Anthropic Messages API; point the SDK's baseURL at `server.url`. */
export function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  return startFake(anthropicProvider, options);
}

const anthropicProvider: Provider<FakeAnthropicOptions> = {
  handle(exchange, context) {
    const path = exchange.path.split('?')[0];
    const headers: OutgoingHttpHeaders = { 'request-id': exchange.requestId };
    const authError = checkHeaders(exchange, context.options.apiKey, headers);
    if (authError !== undefined) return authError;
    if (exchange.method === 'POST' && path === '/v1/messages') return createMessage(exchange, context, headers);
    if (exchange.method === 'POST' && path === '/v1/messages/count_tokens') return countTokens(exchange, headers);
    if (exchange.method === 'GET' && path === '/v1/models') return jsonReply(200, listModels(context.options), headers);
    return anthropicError(404, 'not_found_error', 'Not Found', exchange.requestId, headers);
  },
  statusReply(fault, exchange) {
    const headers = { 'request-id': exchange.requestId, ...faultRetryHeaders(fault, false) };
    const type = fault.type ?? errorTypeFor(fault.status);
    const message = fault.message ?? stockMessage(type, fault.status, fault.code);
    return anthropicError(fault.status, type, message, exchange.requestId, headers, fault.code);
  },
};

// https://docs.claude.com/en/api/overview#authentication: x-api-key and anthropic-version on every call.
function checkHeaders(exchange: Exchange, apiKey: string | undefined, headers: OutgoingHttpHeaders): Reply | undefined {
  const given = keyOf(exchange);
  if (given === undefined) {
    return anthropicError(401, 'authentication_error', 'x-api-key header is required', exchange.requestId, headers);
  }
  if (apiKey !== undefined && given !== apiKey) {
    return anthropicError(401, 'authentication_error', 'invalid x-api-key', exchange.requestId, headers);
  }
  if (exchange.headers['anthropic-version'] === undefined) {
    return invalid('anthropic-version: header is required', exchange, headers);
  }
  return undefined;
}

function keyOf(exchange: Exchange): string | undefined {
  const key = exchange.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') return key;
  const auth = exchange.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
}

function bodyOf(exchange: Exchange): Record<string, unknown> | undefined {
  return asRecord(exchange.body);
}

async function createMessage(
  exchange: Exchange,
  context: FakeContext<FakeAnthropicOptions>,
  headers: OutgoingHttpHeaders,
): Promise<Reply> {
  const { options } = context;
  const body = bodyOf(exchange);
  if (body === undefined) return invalid(NOT_AN_OBJECT, exchange, headers);
  const problem = validateMessagesBody(body, true);
  if (problem !== undefined) return invalid(problem, exchange, headers);
  const model = body.model as string;
  if (options.models !== undefined && !options.models.includes(model)) {
    return anthropicError(404, 'not_found_error', `model: ${model}`, exchange.requestId, headers);
  }
  const maxTokens = body.max_tokens as number;
  const prompt = parsePrompt(body);
  const promptTokens = totalTokens(prompt.blocks);
  const verdict = context.admit(promptTokens, maxTokens);
  const limitHeaders = { ...headers, ...anthropicRateHeaders(verdict) };
  if (verdict !== undefined && !verdict.allowed) {
    return anthropicError(429, 'rate_limit_error', rateLimitMessage(verdict, model), exchange.requestId, limitHeaders);
  }
  const plan = options.cache ? cachePlan(model, prompt.blocks) : undefined;
  const cache = plan ? context.useCache(plan.lookups, plan.stores) : NO_CACHE_USE;
  const thinking = thinkingOf(body);
  const request = { provider: 'anthropic' as const, index: exchange.index, model, turns: prompt.turns, body };
  const completion = await complete(options.respond, request, {
    maxTokens,
    reasoningBudget: thinking.budgetTokens,
    stop: stopList(body.stop_sequences),
    showReasoning: thinking.enabled,
  });
  const parts: MessageParts = {
    id: `msg_${exchange.requestId.slice(4)}`,
    model,
    inputTokens: promptTokens - cache.readTokens - cache.writeTokens,
    cacheReadTokens: cache.readTokens,
    cacheWriteTokens: cache.writeTokens,
    thinking: thinking.enabled,
    completion,
  };
  if (body.stream !== true) return jsonReply(200, messageObject(parts), limitHeaders);
  return {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...limitHeaders },
    body: messageStream(parts),
  };
}

function countTokens(exchange: Exchange, headers: OutgoingHttpHeaders): Reply {
  const body = bodyOf(exchange);
  if (body === undefined) return invalid(NOT_AN_OBJECT, exchange, headers);
  const problem = validateMessagesBody(body, false);
  if (problem !== undefined) return invalid(problem, exchange, headers);
  return jsonReply(200, { input_tokens: totalTokens(parsePrompt(body).blocks) }, headers);
}

function invalid(message: string, exchange: Exchange, headers: OutgoingHttpHeaders): Reply {
  return anthropicError(400, 'invalid_request_error', message, exchange.requestId, headers);
}

function listModels(options: FakeAnthropicOptions) {
  const ids = options.models ?? DEFAULT_MODELS;
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
  return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null };
}
