import type { ChatTurn, RespondRequest, RespondResult } from './types.ts';

const SNIPPET_CHARS = 40;

/** The last user turn's text, or "" when there is none. */
export function lastUserText(turns: readonly ChatTurn[]): string {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].role === 'user') return turns[i].text;
  return '';
}

/** A short, single-line excerpt for deterministic replies. */
export function snippetOf(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > SNIPPET_CHARS ? `${line.slice(0, SNIPPET_CHARS)}...` : line;
}

/** FNV-1a, so equal prompts get equal replies across runs and processes. */
export function hashText(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Default answer: deterministic in the last user message, and short. */
export function defaultRespond(request: RespondRequest): RespondResult {
  const question = lastUserText(request.turns);
  return { text: `Fake reply ${hashText(question)} to: ${snippetOf(question)}` };
}

/** Reasoning text for providers that show it when the responder gave none. */
export function defaultReasoning(request: RespondRequest): string {
  return `Thinking about: ${snippetOf(lastUserText(request.turns))}`;
}
