import type { OutgoingHttpHeaders } from 'node:http';

export interface StatusFault {
  readonly kind: 'status';
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly retryAfterMs?: number;
  /** Overrides the provider's stock error message. */
  readonly message?: string;
  /** Overrides the error type the provider uses for the status (OpenAI `insufficient_quota`, Anthropic `billing_error`). */
  readonly type?: string;
  /** An error code: OpenAI `error.code`, Anthropic `error.details.error_code` (e.g. `enforced_spend_limit_reached`). */
  readonly code?: string;
}

export type Fault =
  | StatusFault
  /** Never answer; ends only when the client aborts or the server closes. */
  | { readonly kind: 'hang' }
  /** Wait, then answer normally. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Send headers and half the body, then destroy the socket. */
  | { readonly kind: 'truncate' }
  /** Send headers and half the body, then go quiet with the socket open (a stalled stream). */
  | { readonly kind: 'stall' }
  /** Destroy the socket without a response. */
  | { readonly kind: 'reset' };

export type FaultScript = (index: number, body: unknown) => Fault | undefined;

/** Injected faults, consumed one per request, ahead of the scripted ones. */
export class FaultQueue {
  #queue: Fault[] = [];

  push(fault: Fault, count: number): void {
    for (let i = 0; i < count; i++) this.#queue.push(fault);
  }

  next(index: number, body: unknown, script: FaultScript | undefined): Fault | undefined {
    if (this.#queue.length > 0) return this.#queue.shift();
    return script?.(index, body);
  }

  clear(): void {
    this.#queue = [];
  }
}

/** retry-after in whole seconds (rounded up), plus retry-after-ms where the provider sends it. */
export function formatRetryAfter(ms: number, withMs: boolean): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'retry-after': String(Math.max(0, Math.ceil(ms / 1000))) };
  if (withMs) headers['retry-after-ms'] = String(Math.max(0, Math.ceil(ms)));
  return headers;
}

/**
 * The retry headers a status fault asks for. OpenAI sends retry-after-ms alongside retry-after;
 * other providers send it only when the fault names milliseconds explicitly.
 */
export function faultRetryHeaders(fault: StatusFault, withMs: boolean): OutgoingHttpHeaders {
  const { retryAfterMs, retryAfterSeconds } = fault;
  if (retryAfterMs === undefined && retryAfterSeconds === undefined) return {};
  const ms = retryAfterMs ?? (retryAfterSeconds ?? 0) * 1000;
  const headers = formatRetryAfter(ms, withMs || retryAfterMs !== undefined);
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return headers;
}
