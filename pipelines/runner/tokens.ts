import type { ChatRequest } from '../providers/provider.ts';

/** A quick token estimate (≈ 4 characters a token) for limits and budgets before the provider counts. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function estimatePromptTokens(request: ChatRequest): number {
  let chars = 0;
  for (const m of request.messages) chars += m.content.length + 8;
  return Math.ceil(chars / 4);
}
