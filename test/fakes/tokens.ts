import type { ChatTurn } from './types.ts';

/** The fakes' tokenizer: one token per 4 characters, rounded up, per piece of text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Prompt tokens: the sum over turns, so a prefix of turns never counts more than the whole. */
export function estimateTurnsTokens(turns: readonly ChatTurn[]): number {
  let total = 0;
  for (const turn of turns) total += estimateTokens(turn.text);
  return total;
}

/** The longest prefix of `text` that fits in `tokens` under estimateTokens. */
export function clipToTokens(text: string, tokens: number): string {
  return text.slice(0, Math.max(0, tokens) * 4);
}
