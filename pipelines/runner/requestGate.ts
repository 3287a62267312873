import { setTimeout as sleep } from 'node:timers/promises';
import type { Output } from '../../lib/output.ts';
import { isAccountError, type AccountErrorKind } from '../../core/errorKinds.ts';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter } from '../../core/chat.ts';
import { addTokens, emptyTokens, type TokenCounts } from '../../core/tokens.ts';
import { backoffDelayMs } from './backoff.ts';
import type { CostBudget } from './budget.ts';
import { costOf, type ModelPrice } from './pricing.ts';
import type { SlidingWindowLimiter } from './rateLimiter.ts';
import { MAX_RETRY_AFTER_MS } from './adaptiveRate.ts';
import { DEFAULT_OUTPUT_BUDGET } from './limits.ts';
import { estimatePromptTokens } from '../../core/tokens.ts';

/** Thrown inside a step when the run is stopping; the step is abandoned, not logged, and runs again on resume. */
export class StepAbandoned extends Error {}

/**
 * Why a run stops taking steps: its budget, Ctrl-C, a failure of the account (refused key, no quota: every step would
 * fail alike), or a server that never answered (`unreachable`: the circuit breaker, circuitBreaker.ts).
 */
export type StopReason = 'max-cost' | 'signal' | 'unreachable' | AccountErrorKind;

/** Stops that end a run `failed` rather than `interrupted`: nothing the run could do would have gone better. */
export function isFailureStop(reason: StopReason): reason is AccountErrorKind | 'unreachable' {
  return reason === 'unreachable' || isAccountError(reason);
}

/** What one step spent across all its requests (self-consistency and best-of send several). */
export class StepUsage {
  readonly tokens: TokenCounts = emptyTokens();
  attempts = 0;
  costUsd: number | null;
  latencyMs = 0;
  queueMs = 0;
  ttftMs: number | null = null;
  finishReason: string | null = null;

  constructor(priced: boolean) {
    this.costUsd = priced ? 0 : null;
  }
}

export interface RequestGateOptions {
  lane: Lane;
  adapter: ProviderAdapter;
  price: ModelPrice | null;
  budget: CostBudget;
  limiter: SlidingWindowLimiter | null;
  maxRetries: number;
  timeoutMs: number;
  cacheAware: boolean;
  output: Output;
}

/** Classifies anything a send threw as a ProviderError. */
export function asProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) return new ProviderError('timeout', message, { cause: error });
  return new ProviderError('unknown', message, { cause: error });
}

/**
 * Every request of a run passes this gate: reserve its estimated cost against the
 * budget (stop before a request would overspend), wait on the rate limiter, send
 * with a timeout, and on a retryable failure back off — exactly as long as
 * Retry-After says, when it says — up to maxRetries.
 */
export class RequestGate {
  private stopReason: StopReason | null = null;
  private readonly abort = new AbortController();
  private completions = 0;
  private completionTokens = 0;

  constructor(private readonly options: RequestGateOptions) {}

  /** Aborted once in-flight requests are abandoned. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get stopped(): StopReason | null {
    return this.stopReason;
  }

  /** No new requests after this; in-flight ones may finish. */
  stop(reason: StopReason): void {
    if (this.stopReason !== null) return;
    this.stopReason = reason;
    if (reason === 'max-cost') this.options.output.warn(`--max-cost ${this.options.budget.maxUsd} reached ($${this.options.budget.spentUsd.toFixed(4)} spent): stopping before the next request`);
  }

  /** Abandons every request still in flight. */
  abandon(): void {
    this.abort.abort(new StepAbandoned('run stopped'));
  }

  /** Sends one request for a step (whose usage it adds to), with budget, limits and retries. */
  async send(request: ChatRequest, usage: StepUsage, label: string): Promise<ChatResponse> {
    const { lane, price, budget, limiter, output } = this.options;
    const promptEstimate = estimatePromptTokens(request);
    const maxOutput = request.maxOutputTokens ?? lane.dials.max_output_tokens ?? DEFAULT_OUTPUT_BUDGET;
    const expectedCompletion = this.completions > 0 ? this.completionTokens / this.completions : Math.min(maxOutput, 1024);
    const sent: ChatRequest = { ...request };
    if (!this.options.cacheAware) delete sent.cachePrefix;
    for (let attempt = 1; ; attempt++) {
      if (this.stopReason !== null) throw new StepAbandoned('run stopping');
      const estimate = price === null ? 0 : costOf(price, { ...emptyTokens(), prompt: promptEstimate, completion: expectedCompletion });
      if (!budget.reserve(estimate)) {
        this.stop('max-cost');
        throw new StepAbandoned('budget');
      }
      const waitStart = Date.now();
      const entry = limiter === null ? null : await limiter.acquire(promptEstimate + maxOutput, this.abort.signal).catch((error: unknown) => {
        budget.settle(estimate, 0);
        throw this.abort.signal.aborted ? new StepAbandoned('run stopped') : error;
      });
      usage.queueMs += Date.now() - waitStart;
      usage.attempts++;
      const sendStart = Date.now();
      try {
        const response = await this.options.adapter.send(lane, sent, { signal: this.abort.signal, timeoutMs: this.options.timeoutMs });
        usage.latencyMs += Date.now() - sendStart;
        if (entry !== null) limiter?.succeeded(entry, response.tokens.prompt + response.tokens.completion, response.rateLimit);
        const spent = price === null ? 0 : costOf(price, response.tokens);
        budget.settle(estimate, spent);
        this.record(usage, response, spent);
        return response;
      } catch (error) {
        usage.latencyMs += Date.now() - sendStart;
        budget.settle(estimate, 0);
        if (this.abort.signal.aborted) throw new StepAbandoned('run stopped');
        const failure = asProviderError(error);
        if (failure.kind === 'rate_limit' && entry !== null) limiter?.rateLimited(entry, failure.retryAfterMs, failure.rateLimit);
        if (!failure.retryable || attempt > this.options.maxRetries || this.stopReason !== null) throw failure;
        if (failure.retryAfterMs !== null && failure.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new ProviderError(failure.kind, `${failure.message} (the provider asked to wait ${Math.round(failure.retryAfterMs / 1000)} s, more than the ${MAX_RETRY_AFTER_MS / 1000} s a run waits; a quota is likely exhausted)`, { httpStatus: failure.httpStatus, retryAfterMs: failure.retryAfterMs });
        }
        const delay = backoffDelayMs(attempt, failure.retryAfterMs);
        output.debug(`${label}: ${failure.kind} (${failure.message}); retry ${attempt}/${this.options.maxRetries} in ${delay} ms`);
        const backoffStart = Date.now();
        try {
          await sleep(delay, undefined, { signal: this.abort.signal });
        } catch {
          throw new StepAbandoned('run stopped');
        }
        usage.queueMs += Date.now() - backoffStart;
      }
    }
  }

  private record(usage: StepUsage, response: ChatResponse, spentUsd: number): void {
    addTokens(usage.tokens, response.tokens);
    if (usage.costUsd !== null) usage.costUsd += spentUsd;
    if (usage.ttftMs === null && response.ttftMs !== null) usage.ttftMs = response.ttftMs;
    usage.finishReason = response.finishReason;
    this.completions++;
    this.completionTokens += response.tokens.completion;
  }
}
