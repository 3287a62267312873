/** Exponential backoff with full jitter; a provider's Retry-After wins when it gave one. */
export function backoffDelayMs(attempt: number, retryAfterMs: number | null, options: { baseMs?: number; maxMs?: number; random?: () => number } = {}): number {
  if (retryAfterMs !== null && retryAfterMs >= 0) return retryAfterMs + Math.floor((options.random ?? Math.random)() * 50);
  const base = options.baseMs ?? 500;
  const cap = options.maxMs ?? 30_000;
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2));
}
