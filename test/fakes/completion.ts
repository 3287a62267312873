import { defaultReasoning, defaultRespond } from './respond.ts';
import { clipToTokens, estimateTokens } from './tokens.ts';
import type { RespondRequest, Responder } from './types.ts';

export interface CompletionLimits {
  /** Output budget covering reasoning and text (max_tokens, max_completion_tokens, num_predict). */
  readonly maxTokens?: number;
  /** Cap on reasoning tokens alone (Anthropic budget_tokens). */
  readonly reasoningBudget?: number;
  readonly stop?: readonly string[];
  /** The provider shows reasoning text, so make some up when the responder gave none. */
  readonly showReasoning?: boolean;
}

export type StopCause = 'stop' | 'length' | 'stop_sequence';

/** A responder's answer after the request's limits were applied. */
export interface Completion {
  readonly text: string;
  readonly reasoning: string;
  readonly reasoningTokens: number;
  readonly outputTokens: number;
  readonly stop: StopCause;
  readonly stopSequence: string | null;
}

/** Ask the responder, then cut at stop sequences and the output budget like a model would stop. */
export async function complete(
  respond: Responder | undefined,
  request: RespondRequest,
  limits: CompletionLimits,
): Promise<Completion> {
  const result = await (respond ?? defaultRespond)(request);
  let reasoning = result.reasoning ?? (limits.showReasoning ? defaultReasoning(request) : '');
  let reasoningTokens = result.reasoningTokens ?? estimateTokens(reasoning);
  if (limits.reasoningBudget !== undefined && reasoningTokens > limits.reasoningBudget) {
    reasoningTokens = limits.reasoningBudget;
    reasoning = clipToTokens(reasoning, reasoningTokens);
  }
  let text = result.text;
  let stop: StopCause = 'stop';
  let stopSequence: string | null = null;
  if (limits.stop !== undefined && limits.stop.length > 0) {
    const found = findStop(text, limits.stop);
    if (found !== undefined) {
      text = text.slice(0, found.at);
      stop = 'stop_sequence';
      stopSequence = found.sequence;
    }
  }
  const max = limits.maxTokens;
  if (max !== undefined && reasoningTokens + estimateTokens(text) > max) {
    stop = 'length';
    stopSequence = null;
    if (reasoningTokens >= max) {
      reasoningTokens = max;
      reasoning = clipToTokens(reasoning, max);
      text = '';
    } else {
      text = clipToTokens(text, max - reasoningTokens);
    }
  }
  return { text, reasoning, reasoningTokens, outputTokens: reasoningTokens + estimateTokens(text), stop, stopSequence };
}

function findStop(text: string, sequences: readonly string[]): { at: number; sequence: string } | undefined {
  let best: { at: number; sequence: string } | undefined;
  for (const sequence of sequences) {
    if (sequence === '') continue;
    const at = text.indexOf(sequence);
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, sequence };
  }
  return best;
}

/** A non-negative integer field, or undefined. */
export function optionalCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A stop field that may be one string or a list. */
export function stopList(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return undefined;
}
