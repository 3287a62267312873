import type { ChatMessage } from '../../../core/chat.ts';
import { countMessageChars, tokensFromChars } from '../../../core/tokens.ts';
import type { SessionWindow, TrimStrategy } from '../settings.ts';

/** One earlier exchange kept in a session's context. */
export interface Turn {
  /** Order of arrival: higher is more recent. */
  index: number;
  messages: ChatMessage[];
  /** Its messages' size in the token estimate's characters; sizes add up exactly, tokens are rounded once. */
  chars: number;
  /** Higher is kept longer by the importance and hybrid strategies. */
  importance: number;
  cluster: string | null;
  /** Passages this turn brought into the context. */
  passages: string[];
}

export interface TrimResult {
  kept: Turn[];
  removed: Turn[];
  /** Context tokens (fixed part + kept turns) before and after trimming. */
  tokensBefore: number;
  tokensAfter: number;
}

/** Turns the hybrid strategy never trims while older ones remain. */
export const HYBRID_KEEP_RECENT = 4;
/** The aggressive strategy trims to this share of the target, so it trims seldom but deep. */
export const AGGRESSIVE_SHARE = 0.5;

/** The order in which a strategy gives up turns (first = trimmed first). */
function trimOrder(history: readonly Turn[], strategy: Exclude<TrimStrategy, 'none'>): Turn[] {
  const oldestFirst = [...history].sort((a, b) => a.index - b.index);
  const byImportance = (turns: Turn[]): Turn[] => [...turns].sort((a, b) => a.importance - b.importance || a.index - b.index);
  switch (strategy) {
    case 'sliding-window':
    case 'aggressive':
      return oldestFirst;
    case 'importance':
      return byImportance(oldestFirst);
    case 'hybrid': {
      const protectedFrom = Math.max(0, oldestFirst.length - HYBRID_KEEP_RECENT);
      return [...byImportance(oldestFirst.slice(0, protectedFrom)), ...oldestFirst.slice(protectedFrom)];
    }
  }
}

/**
 * Trims a session's history once the context (fixed part: system message and
 * the current turn, plus the history) passes threshold × limit tokens, down to
 * target × limit (aggressive: half of that). Strategies: sliding-window drops
 * the oldest turns; importance drops the least important (oldest first on a
 * tie); hybrid keeps the 4 most recent and drops the least important of the
 * rest, then the oldest; aggressive drops the oldest down to half the target;
 * none never trims. The fixed part is never trimmed. Sizes are in estimate
 * characters (core/tokens.ts), so the token counts reported are the estimate
 * of exactly the messages that will be sent.
 */
export function trimContext(history: readonly Turn[], fixedChars: number, window: SessionWindow): TrimResult {
  let total = fixedChars;
  for (const t of history) total += t.chars;
  const tokensBefore = tokensFromChars(total);
  if (window.trim_strategy === 'none' || tokensBefore <= window.trim_threshold * window.context_limit) return { kept: [...history], removed: [], tokensBefore, tokensAfter: tokensBefore };
  const goal = window.trim_target * window.context_limit * (window.trim_strategy === 'aggressive' ? AGGRESSIVE_SHARE : 1);
  const removed = new Set<Turn>();
  for (const turn of trimOrder(history, window.trim_strategy)) {
    if (tokensFromChars(total) <= goal) break;
    removed.add(turn);
    total -= turn.chars;
  }
  return { kept: history.filter((t) => !removed.has(t)), removed: history.filter((t) => removed.has(t)), tokensBefore, tokensAfter: tokensFromChars(total) };
}

/** A session's growing context: turns are added after each step and trimmed before the next. */
export class ContextManager {
  private history: Turn[] = [];
  private next = 0;

  constructor(private readonly window: SessionWindow) {}

  get turns(): readonly Turn[] {
    return this.history;
  }

  add(turn: Omit<Turn, 'index' | 'chars'>): void {
    this.history.push({ ...turn, chars: countMessageChars(turn.messages), index: this.next++ });
  }

  /**
   * Trims for a request whose fixed part (sent besides the kept turns) is `fixed`; returns the
   * context size, which is the token estimate of the whole request, and the tokens trimmed.
   */
  fit(fixed: readonly ChatMessage[]): { tokens: number; trimmed: number; removedTurns: number } {
    const result = trimContext(this.history, countMessageChars(fixed), this.window);
    this.history = result.kept;
    return { tokens: result.tokensAfter, trimmed: result.tokensBefore - result.tokensAfter, removedTurns: result.removed.length };
  }

  /** Passage ids present in the kept turns. */
  passagesInContext(): Set<string> {
    return new Set(this.history.flatMap((t) => t.passages));
  }
}
