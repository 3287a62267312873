import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter, type SendOptions } from '../../core/chat.ts';
import type { Lane } from '../../core/lane.ts';
import type { Simulator } from '../../core/simulator.ts';
import { emptyTokens, estimateMessageTokens, estimatePromptTokens, estimateTokens, type TokenCounts } from '../../core/tokens.ts';
import { putDials } from './dialBody.ts';

/** Reasoning tokens a sim lane reports per answer (part of its completion tokens). */
const REASONING_TOKENS = { minimal: 0, low: 256, medium: 1024, high: 3072 } as const;
/** Prefixes the simulated prompt cache holds before it forgets them all (sessions make a new prefix each turn). */
const WARM_PREFIX_LIMIT = 4096;

/** Where the sim's requests "go", for dry-run dumps and messages. */
const SIM_URL = 'sim://local';

/** What the sim says to a request no simulator knows (e.g. a --verify-first ping). */
const PLAIN_REPLY = 'OK';

/**
 * The offline `sim` provider: its replies come from the simulator of the task
 * that made the request (the ground-truth model, pipelines/tasks/sim/), with
 * token counts from the one token estimate (core/tokens.ts) and a simulated
 * prompt cache.
 */
export class SimProvider implements ProviderAdapter {
  readonly name = 'sim' as const;
  private readonly warmPrefixes = new Set<string>();

  constructor(private readonly simulator: Simulator | undefined) {}

  buildRequest(lane: Lane, request: ChatRequest): { url: string; body: Record<string, unknown> } {
    const body: Record<string, unknown> = { model: lane.model, messages: request.messages };
    putDials(body, lane, request);
    if (request.json === true) body['response_format'] = { type: 'json_object' };
    return { url: `${SIM_URL}/chat`, body };
  }

  /** The sim needs no key and no server. */
  check(): void {}

  baseURL(): string {
    return SIM_URL;
  }

  async send(lane: Lane, request: ChatRequest, options: SendOptions): Promise<ChatResponse> {
    if (options.signal.aborted) throw new ProviderError('aborted', 'the request was aborted');
    let text: string;
    try {
      text = this.simulator?.reply(lane, request) ?? PLAIN_REPLY;
    } catch (error) {
      throw new ProviderError('invalid_request', (error as Error).message, { cause: error });
    }
    return { text, finishReason: 'stop', tokens: this.count(lane, request, text), ttftMs: null };
  }

  private count(lane: Lane, request: ChatRequest, text: string): TokenCounts {
    const tokens = emptyTokens();
    tokens.prompt = estimatePromptTokens(request);
    const prefix = request.cachePrefix ?? 0;
    if (prefix > 0 && request.messages.length >= prefix) {
      const key = prefix === 1 ? request.messages[0].content : request.messages.slice(0, prefix).map((m) => m.content).join('\u0000');
      const prefixTokens = estimateMessageTokens(request.messages.slice(0, prefix));
      if (this.warmPrefixes.has(key)) tokens.cached_read = prefixTokens;
      else {
        if (this.warmPrefixes.size >= WARM_PREFIX_LIMIT) this.warmPrefixes.clear();
        this.warmPrefixes.add(key);
        tokens.cache_write = prefixTokens;
      }
    }
    const effort = lane.dials.reasoning_effort;
    tokens.reasoning = (effort === undefined ? 0 : REASONING_TOKENS[effort]) + (lane.dials.thinking === true ? Math.min(lane.dials.thinking_budget_tokens ?? 2048, 2048) : 0);
    tokens.completion = estimateTokens(text) + tokens.reasoning;
    return tokens;
  }

  async close(): Promise<void> {
    this.warmPrefixes.clear();
  }
}

/** A new sim provider answering with the task's simulator (its prompt cache is per instance); the sim needs no environment. */
export function createAdapter(_env: NodeJS.ProcessEnv, options: { simulator?: Simulator | undefined }): ProviderAdapter {
  return new SimProvider(options.simulator);
}
