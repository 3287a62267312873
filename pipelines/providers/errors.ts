import { redactText, secretValues } from '../../lib/secrets.ts';
import type { ErrorKind } from '../../core/errorKinds.ts';
import type { Deadline } from './deadline.ts';
import { ProviderError } from '../../core/chat.ts';
import { readRateLimitHint } from './rateLimitHeaders.ts';

/** What the classifier needs besides the error itself. */
export interface FailureContext {
  /** Names the endpoint in the message: `openai`, `openai-compatible/deepseek`, `anthropic`, `ollama`. */
  provider: string;
  /** The adapter's environment: every secret value in it is scrubbed from the message. */
  env: NodeJS.ProcessEnv;
  /** The key this request used, scrubbed too (it may come from a variable with an unusual name). */
  apiKey?: string | null;
  /** The request's deadline, which tells a timeout from the caller's abort. */
  deadline?: Deadline;
  /** Response headers, when the SDK's error does not carry them (ollama-js). */
  headers?: Headers | null;
}

// https://platform.openai.com/docs/guides/error-codes and https://platform.claude.com/docs/en/api/errors:
// the error `type` in a body that arrives without an HTTP status (an error event inside a stream).
const BODY_ERROR_KINDS: Readonly<Record<string, ErrorKind>> = {
  rate_limit_error: 'rate_limit',
  overloaded_error: 'server',
  api_error: 'server',
  server_error: 'server',
  timeout_error: 'timeout',
  authentication_error: 'auth',
  permission_error: 'auth',
  invalid_request_error: 'invalid_request',
  not_found_error: 'invalid_request',
  request_too_large: 'invalid_request',
};

// Error types that say more than their HTTP status, so they win over it.
// https://platform.openai.com/docs/guides/error-codes#api-errors: a 429 `insufficient_quota` means credits are used up or
// a spend limit is reached; waiting does not cure it, unlike a rate limit.
// https://platform.claude.com/docs/en/api/errors: `billing_error` (402, a payment problem) likewise; `timeout_error`
// (504) is a timeout on the server's side, worth another attempt like any timeout.
const PRECISE_BODY_TYPES: Readonly<Record<string, ErrorKind>> = {
  insufficient_quota: 'quota',
  billing_error: 'quota',
  timeout_error: 'timeout',
};

// Error codes (OpenAI `error.code`, Anthropic `error.details.error_code`) that mean the account cannot pay.
// https://platform.openai.com/docs/guides/error-codes#api-errors: the codes under type insufficient_quota.
// https://platform.claude.com/docs/en/api/rate-limits (spend limits): a 429 `rate_limit_error` with error_code
// enforced_spend_limit_reached (the tier's monthly cap) carries no retry-after and fails until next month.
const QUOTA_CODES: ReadonlySet<string> = new Set([
  'insufficient_quota', 'credit_balance_exhausted', 'organization_spend_limit_exceeded', 'project_spend_limit_exceeded',
  'organization_usage_limit_exceeded', 'enforced_spend_limit_reached',
]);

// https://platform.claude.com/docs/en/api/errors: Anthropic answers a spend limit you set, and an empty credit
// balance, with a plain 400 invalid_request_error; only the message tells them from a bad request.
const QUOTA_MESSAGES: readonly RegExp[] = [/credit balance is too low/i, /reached your specified (workspace )?API usage limits/i];

/** Socket-level failures (Node and undici codes): the request may be sent again. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_ABORTED',
]);
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** What Node's fetch throws when a connection fails ("fetch failed") or a body is cut off ("terminated"). */
const FETCH_FAILURES: ReadonlySet<string> = new Set(['fetch failed', 'terminated']);

/** The kind of failure an HTTP status means; 402 Payment Required is `quota` (OpenRouter and others send it for used-up credits). */
export function kindForStatus(status: number): ErrorKind {
  if (status === 429) return 'rate_limit';
  if (status === 408) return 'timeout';
  if (status === 402) return 'quota';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server';
  if (status >= 400) return 'invalid_request';
  return 'unknown';
}

/**
 * The one classifier: an SDK, fetch or network error → ProviderError with kind, HTTP status and
 * Retry-After. Unparsable JSON in a 2xx body is `parse` (not retried: a server that answers garbage
 * usually keeps doing so). Messages never carry a secret.
 */
export function toProviderError(error: unknown, context: FailureContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = statusOf(error);
  const headers = headersOf(error) ?? context.headers ?? null;
  const kind = kindFromBody(error, status) ?? (status !== null ? kindForStatus(status) : kindWithoutStatus(error, context.deadline));
  const message = redactText(describe(error, context, status, kind), secretsOf(context));
  return new ProviderError(kind, message, { httpStatus: status, rateLimit: readRateLimitHint(headers), cause: error });
}

/** The kind an error body states more precisely than its status (a quota 429 is no rate limit), or null. */
function kindFromBody(error: unknown, status: number | null): ErrorKind | null {
  const type = bodyErrorType(error);
  const code = bodyErrorCode(error);
  if (code !== null && QUOTA_CODES.has(code)) return 'quota';
  if (type !== null && PRECISE_BODY_TYPES[type] !== undefined) return PRECISE_BODY_TYPES[type];
  const message = bodyMessage(error);
  if ((status === 400 || status === 429) && message !== null && QUOTA_MESSAGES.some((pattern) => pattern.test(message))) return 'quota';
  return null;
}

function kindWithoutStatus(error: unknown, deadline: Deadline | undefined): ErrorKind {
  if (deadline?.timedOut === true) return 'timeout';
  if (deadline?.callerAborted === true) return 'aborted';
  const chain = causeChain(error);
  if (chain.some((e) => namesOf(e).some((n) => n.includes('Timeout')) || TIMEOUT_CODES.has(codeOf(e)))) return 'timeout';
  if (chain.some((e) => namesOf(e).some((n) => n === 'APIUserAbortError' || n === 'AbortError'))) return 'aborted';
  const bodyKind = BODY_ERROR_KINDS[bodyErrorType(error) ?? ''];
  if (bodyKind !== undefined) return bodyKind;
  if (chain.some(isNetworkFailure)) return 'network';
  // A body that is not JSON was cut or garbled on the way: a transport failure, retried like one; `parse` is kept for
  // a model answer the task cannot read, which counts against the model.
  if (chain.some((e) => e instanceof SyntaxError)) return 'network';
  // An SDK APIError with no status is an error the server sent inside a stream.
  if (namesOf(error).includes('APIError')) return 'server';
  return 'unknown';
}

function isNetworkFailure(error: unknown): boolean {
  if (namesOf(error).includes('APIConnectionError')) return true;
  if (NETWORK_CODES.has(codeOf(error))) return true;
  return error instanceof TypeError && FETCH_FAILURES.has(error.message);
}

function describe(error: unknown, context: FailureContext, status: number | null, kind: ErrorKind): string {
  const type = bodyErrorType(error);
  const head = `${context.provider}${status === null ? '' : ` HTTP ${status}`}${type === null ? '' : ` ${type}`}`;
  if (kind === 'timeout' && context.deadline?.timedOut === true) return `${head}: ${String(context.deadline.signal.reason?.message ?? 'timed out')}`;
  const text = bodyMessage(error) ?? (error instanceof Error ? error.message : String(error));
  const root = causeChain(error).at(-1);
  const detail = root !== undefined && root !== error && root instanceof Error && root.message !== text ? ` (${root.message})` : '';
  return `${head}: ${text}${detail}`;
}

function secretsOf(context: FailureContext): string[] {
  const secrets = secretValues(context.env);
  if (typeof context.apiKey === 'string' && context.apiKey.length > 0) secrets.push(context.apiKey);
  return secrets.sort((a, b) => b.length - a.length);
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, status_code: statusCode } = error as { status?: unknown; status_code?: unknown };
  if (typeof status === 'number') return status;
  // ollama-js ResponseError
  if (typeof statusCode === 'number') return statusCode;
  return null;
}

function headersOf(error: unknown): Headers | null {
  const headers = typeof error === 'object' && error !== null ? (error as { headers?: unknown }).headers : undefined;
  return headers instanceof Headers ? headers : null;
}

/** The `error` body an SDK error carries: Stainless `APIError.error`, or ollama-js's message string. */
function bodyOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { error?: unknown }).error : undefined;
}

/** `error.type` from an error body (Anthropic nests it once more than OpenAI). */
function bodyErrorType(error: unknown): string | null {
  const body = bodyOf(error) as { type?: unknown; error?: { type?: unknown } } | undefined;
  const type = typeof body?.error?.type === 'string' ? body.error.type : body?.type;
  return typeof type === 'string' && type !== 'error' ? type : null;
}

/** `error.code` (OpenAI) or `error.details.error_code` (Anthropic) from an error body. */
function bodyErrorCode(error: unknown): string | null {
  const body = bodyOf(error) as { code?: unknown; error?: { details?: { error_code?: unknown } } } | undefined;
  const code = body?.error?.details?.error_code ?? body?.code;
  return typeof code === 'string' ? code : null;
}

function bodyMessage(error: unknown): string | null {
  const body = bodyOf(error);
  if (typeof body === 'string' && body !== '') return body;
  const record = body as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = record?.error?.message ?? record?.message;
  return typeof message === 'string' && message !== '' ? message : null;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== 'object') break;
  }
  return chain;
}

/** Error names as set and as declared: openai v6 leaves `name` as "Error" on its own classes. */
function namesOf(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const names = [(error as { name?: unknown }).name, error.constructor?.name];
  return names.filter((n): n is string => typeof n === 'string');
}

function codeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}
