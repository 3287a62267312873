import { asRecord } from './http.ts';
import { chainPrefixes } from './prefixCache.ts';
import type { CachePrefix } from './prefixCache.ts';
import { estimateTokens } from './tokens.ts';
import type { ChatTurn } from './types.ts';

/** A cacheable unit in prompt order (tools, then system, then messages) with its cache mark. */
export interface PromptBlock {
  readonly text: string;
  /** Content for cache keys: the block without its cache_control, so moving a mark keeps the prefix. */
  readonly content: string;
  readonly tokens: number;
  readonly marked: boolean;
}

export interface ThinkingRequest {
  readonly enabled: boolean;
  readonly budgetTokens: number | undefined;
}

const EXTENDED_THINKING_DOCS = 'https://docs.claude.com/en/docs/build-with-claude/extended-thinking';

// https://docs.claude.com/en/api/messages: required fields and ranges, worded like the API's validator.
export function validateMessagesBody(body: Record<string, unknown>, needsMaxTokens: boolean): string | undefined {
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (needsMaxTokens) {
    if (body.max_tokens === undefined) return 'max_tokens: Field required';
    if (!Number.isInteger(body.max_tokens)) return 'max_tokens: Input should be a valid integer';
    if ((body.max_tokens as number) < 1) return 'max_tokens: Input should be greater than or equal to 1';
  }
  if (body.messages === undefined) return 'messages: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Input should be a valid list';
  if (body.messages.length === 0) return 'messages: at least one message is required';
  const temperature = body.temperature;
  if (temperature !== undefined) {
    if (typeof temperature !== 'number') return 'temperature: Input should be a valid number';
    if (temperature < 0) return 'temperature: Input should be greater than or equal to 0';
    if (temperature > 1) return 'temperature: Input should be less than or equal to 1';
  }
  return validateThinking(body);
}

function validateThinking(body: Record<string, unknown>): string | undefined {
  const thinking = asRecord(body.thinking);
  if (thinking === undefined || thinking.type !== 'enabled') return undefined;
  const budget = thinking.budget_tokens;
  if (budget === undefined) return 'thinking.enabled.budget_tokens: Field required';
  if (!Number.isInteger(budget)) return 'thinking.enabled.budget_tokens: Input should be a valid integer';
  if ((budget as number) < 1024) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
  if (typeof body.max_tokens === 'number' && (budget as number) >= body.max_tokens) {
    return (
      '`max_tokens` must be greater than `thinking.budget_tokens`. ' +
      `Please consult our documentation at ${EXTENDED_THINKING_DOCS}#max-tokens-and-context-window-size`
    );
  }
  if (body.temperature !== undefined && body.temperature !== 1) {
    return (
      '`temperature` may only be set to 1 when thinking is enabled or in adaptive mode. ' +
      `Please consult our documentation at ${EXTENDED_THINKING_DOCS}#feature-compatibility`
    );
  }
  if (body.top_k !== undefined) {
    return (
      '`top_k` is not supported when thinking is enabled. ' +
      `Please consult our documentation at ${EXTENDED_THINKING_DOCS}#feature-compatibility`
    );
  }
  return undefined;
}

export function thinkingOf(body: Record<string, unknown>): ThinkingRequest {
  const thinking = asRecord(body.thinking);
  if (thinking?.type === 'enabled') return { enabled: true, budgetTokens: thinking.budget_tokens as number };
  if (thinking?.type === 'adaptive') return { enabled: true, budgetTokens: undefined };
  return { enabled: false, budgetTokens: undefined };
}

export interface Prompt {
  readonly blocks: readonly PromptBlock[];
  /** One system turn, then one per message; tool definitions left out. */
  readonly turns: readonly ChatTurn[];
}

/** Flatten tools, system and messages into blocks; a top-level cache_control marks the last block. */
export function parsePrompt(body: Record<string, unknown>): Prompt {
  const blocks: PromptBlock[] = [];
  const turns: ChatTurn[] = [];
  const addTurn = (role: string, parts: readonly unknown[]) => {
    const added = parts.map((part) => blockOf(role, part, false));
    blocks.push(...added);
    turns.push({ role, text: added.map((block) => block.text).join('\n') });
  };
  if (Array.isArray(body.tools)) for (const tool of body.tools) blocks.push(blockOf('tools', tool, true));
  if (typeof body.system === 'string') addTurn('system', [body.system]);
  else if (Array.isArray(body.system)) addTurn('system', body.system);
  for (const message of body.messages as unknown[]) {
    const record = asRecord(message);
    const role = typeof record?.role === 'string' ? record.role : 'user';
    const content = record?.content;
    addTurn(role, Array.isArray(content) ? content : [content ?? '']);
  }
  if (body.cache_control !== undefined && blocks.length > 0) {
    blocks[blocks.length - 1] = { ...blocks[blocks.length - 1], marked: true };
  }
  return { blocks, turns };
}

function blockOf(role: string, value: unknown, isTool: boolean): PromptBlock {
  if (typeof value === 'string') return textBlock(role, value, false);
  const record = asRecord(value) ?? {};
  const { cache_control: mark, ...rest } = record;
  const marked = mark !== undefined && mark !== null;
  if (!isTool && rest.type === 'text' && typeof rest.text === 'string') return textBlock(role, rest.text, marked);
  const content = JSON.stringify(rest);
  return { text: content, content: `${role}\u0000${content}`, tokens: estimateTokens(content), marked };
}

function textBlock(role: string, text: string, marked: boolean): PromptBlock {
  return { text, content: `${role}\u0000text\u0000${text}`, tokens: estimateTokens(text), marked };
}

// https://docs.claude.com/en/docs/build-with-claude/prompt-caching: each breakpoint stores its prefix,
// and a lookup also tries the block boundaries up to 20 blocks before each breakpoint.
const LOOKBACK_BLOCKS = 20;

export interface CachePlan {
  readonly lookups: readonly CachePrefix[];
  readonly stores: readonly CachePrefix[];
}

/** What a request may read from and must write to the cache, by its cache_control marks. */
export function cachePlan(model: string, blocks: readonly PromptBlock[]): CachePlan {
  let lastMarked = -1;
  for (let i = 0; i < blocks.length; i++) if (blocks[i].marked) lastMarked = i;
  if (lastMarked < 0) return { lookups: [], stores: [] };
  const chain = chainPrefixes(`anthropic:${model}`, blocks.slice(0, lastMarked + 1));
  const inWindow = new Array<boolean>(chain.length).fill(false);
  for (let i = 0; i <= lastMarked; i++) {
    if (!blocks[i].marked) continue;
    for (let j = Math.max(0, i - LOOKBACK_BLOCKS); j <= i; j++) inWindow[j] = true;
  }
  return {
    lookups: chain.filter((_, i) => inWindow[i]),
    stores: chain.filter((_, i) => blocks[i].marked),
  };
}

export function totalTokens(blocks: readonly PromptBlock[]): number {
  let total = 0;
  for (const block of blocks) total += block.tokens;
  return total;
}
