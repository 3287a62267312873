import type { RateLimitHint, RateLimitWindow } from '../../core/chat.ts';

/** A wait longer than this means a quota, not a burst: the step fails instead of sleeping for hours, and the bucket does not pause. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** How the adaptive rate reacts; one definition, overridable in tests. */
export interface AdaptiveRateSettings {
  /** A 429 multiplies the rate it came at by this (the multiplicative decrease). */
  decrease: number;
  /** Below `approach` × the rate of the last 429, each window of traffic the rate holds back adds this share of that rate (the additive increase)... */
  increasePerWindow: number;
  /** ...and above it this smaller share: it probes slowly where the last 429 came, and beyond (a first estimate, which no 429 confirmed, it passes fast). */
  probePerWindow: number;
  approach: number;
  /** The server's window until one is learned (from the first 429, or a spent limit's reset): the providers' minute. */
  windowMs: number;
  /** How long a 429 that names no Retry-After pauses the bucket. */
  pauseWithoutRetryAfterMs: number;
  /** How far back the sends a first estimate counts may reach. */
  historyMs: number;
  /** The slowest rate it ever falls to, requests a second. */
  minPerSecond: number;
}

export const ADAPTIVE_RATE_DEFAULTS: Readonly<AdaptiveRateSettings> = {
  decrease: 0.85,
  increasePerWindow: 0.6,
  probePerWindow: 0.02,
  approach: 0.9,
  windowMs: 60_000,
  pauseWithoutRetryAfterMs: 1000,
  historyMs: 60_000,
  minPerSecond: 1 / 60,
};

/**
 * The rate a (endpoint, model, key) bucket learns from what the server says, for servers whose limit nobody wrote
 * down (and, above a limits row, to slow further). Unlimited until the first sign of a limit. A 429 pauses the
 * bucket for its Retry-After and cuts the rate to `decrease` × the rate it came at — the first time, the rate the
 * server was seen to admit. Each success the rate held back raises it again: quickly up to `approach` × the rate
 * of the last 429, then slowly, probing for more (AIMD). A 429 for a request sent before the last cut belongs to
 * the burst that caused it: it pauses but cuts no further. Rate-limit headers teach it too: a limit with less left
 * than a request needs pauses the bucket until enough is back, and a spent request limit over its reset is the rate.
 * The clock comes in as `now`.
 */
export class AdaptiveRate {
  /** Requests a second; Infinity until the server shows a limit. */
  private rate = Infinity;
  /** The rate the last 429 came at (or the first estimate, or the headers told): the increase is a share of it, and slows near it. */
  private ceiling = Infinity;
  /** Whether a 429 came at the ceiling, or the headers told it (else it is an estimate, which the rate may pass fast). */
  private confirmed = false;
  private pausedUntil = 0;
  private nextSlot = -Infinity;
  private lastCutAt = -Infinity;
  /** When the first success came back: the server admitted it no later, so its window ran from about then. */
  private firstDoneAt = Infinity;
  /** The server's window as learned: the first 429's span plus its wait, or a spent limit's reset. */
  private windowMs: number;
  /** Send times of successes while no rate is known, oldest first from `head`, for the first estimate. */
  private readonly successes: number[] = [];
  private head = 0;
  /** Set by the first 429: the span its estimate counts over; successes of requests sent before it still count. */
  private estimate: { span: number; waitMs: number } | null = null;

  constructor(private readonly settings: AdaptiveRateSettings = ADAPTIVE_RATE_DEFAULTS) {
    this.windowMs = settings.windowMs;
  }

  /** The learned rate in requests a second (Infinity while none is known). */
  get requestsPerSecond(): number {
    return this.rate;
  }

  /** Milliseconds until a request may go (≤ 0: now). */
  waitFor(now: number): number {
    return Math.max(this.pausedUntil - now, Number.isFinite(this.rate) ? this.nextSlot - now : -Infinity);
  }

  /**
   * A request went at `now`; returns whether it went on the rate's schedule (within an interval of its slot), which
   * says the rate is what limits the bucket. The next slot is one interval after this one's, not after `now`: a timer
   * that fires late would otherwise slow every request by its lateness. After an idle spell it starts afresh.
   */
  admitted(now: number): boolean {
    if (!Number.isFinite(this.rate)) return false;
    const interval = 1000 / this.rate;
    const onSchedule = now - this.nextSlot < interval;
    this.nextSlot = (onSchedule ? this.nextSlot : now) + interval;
    return onSchedule;
  }

  /** Admit nothing until `ms` from `now`. */
  pause(ms: number, now: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }

  /** A request sent at `sentAt` (held back by the rate: `paced`) succeeded; `tokens` is what it counted. */
  succeeded(sentAt: number, paced: boolean, tokens: number, hint: RateLimitHint | undefined, now: number): void {
    if (!Number.isFinite(this.rate) || (this.estimate !== null && sentAt < this.lastCutAt)) {
      this.firstDoneAt = Math.min(this.firstDoneAt, now);
      this.successes.push(sentAt);
      this.forget(now);
      if (this.estimate !== null) this.setEstimate();
    }
    if (hint !== undefined) this.heed(hint, tokens, now);
    if (!paced || !Number.isFinite(this.rate) || sentAt < this.lastCutAt) return;
    this.rate += (this.increaseShare() * this.ceiling * 1000) / (this.rate * this.windowMs);
  }

  /** The share of the ceiling the rate grows by in a window: fast, and slowly only near a ceiling a 429 confirmed. */
  private increaseShare(): number {
    const { increasePerWindow, probePerWindow, approach } = this.settings;
    return this.confirmed && this.rate >= this.ceiling * approach ? probePerWindow : increasePerWindow;
  }

  /** A request sent at `sentAt` got a 429: pause the bucket, and cut the rate once a burst. */
  rateLimited(sentAt: number, retryAfterMs: number | null, hint: RateLimitHint | null, now: number): void {
    if (retryAfterMs !== null && retryAfterMs > MAX_RETRY_AFTER_MS) return;
    const pause = retryAfterMs ?? this.settings.pauseWithoutRetryAfterMs;
    this.pause(pause, now);
    if (hint !== null) this.heed(hint, 0, now);
    if (sentAt < this.lastCutAt) return;
    if (Number.isFinite(this.rate)) {
      this.ceiling = this.rate;
      this.confirmed = true;
      this.cutTo(this.rate * this.settings.decrease, now);
      return;
    }
    this.forget(now);
    this.lastCutAt = now;
    this.estimate = { span: Math.min(this.settings.historyMs, Math.max(0, now - this.firstDoneAt)), waitMs: pause };
    this.windowMs = Math.max(1, this.estimate.span + pause);
    this.setEstimate();
  }

  /**
   * The first cut: to what the server was seen to admit — the successes of the recent past over that past plus the
   * wait it asks for. Requests of that past still in flight count as they succeed, so it grows to the truth.
   */
  private setEstimate(): void {
    if (this.estimate === null) return;
    const admitted = Math.max(1, this.successes.length - this.head);
    this.ceiling = (admitted * 1000) / Math.max(1, this.estimate.span + this.estimate.waitMs);
    this.rate = Math.max(this.settings.minPerSecond, this.ceiling * this.settings.decrease);
  }

  /** Headers: a limit with less left than a request needs pauses until enough is back; a spent request limit tells the rate. */
  private heed(hint: RateLimitHint, tokens: number, now: number): void {
    for (const window of hint.limits) {
      const need = window.unit === 'requests' ? 1 : tokens;
      if (window.remaining === null || window.resetMs === null || window.remaining >= need) continue;
      const refill = refillMs(window, need);
      // a daily limit spent: a quota, which the failures will tell
      if (refill > MAX_RETRY_AFTER_MS) continue;
      this.pause(refill, now);
      const learned = learnedRate(window);
      if (learned !== null && learned * this.settings.approach < this.rate) {
        this.windowMs = window.resetMs;
        this.ceiling = learned;
        this.confirmed = true;
        this.cutTo(learned * this.settings.approach, now);
      }
    }
  }

  private cutTo(rate: number, now: number): void {
    this.rate = Math.max(this.settings.minPerSecond, rate);
    this.lastCutAt = now;
    this.estimate = null;
    this.successes.length = 0;
    this.head = 0;
  }

  private forget(now: number): void {
    const horizon = now - this.settings.historyMs;
    while (this.head < this.successes.length && this.successes[this.head] < horizon) this.head++;
    if (this.head > 1024 && this.head * 2 > this.successes.length) {
      this.successes.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Milliseconds until `need` of a limit is back. The reset header says when the limit is whole again; the providers
 * refill it evenly (a token bucket), so `need` of the used part is back that share of the way there.
 */
export function refillMs(window: RateLimitWindow, need: number): number {
  const reset = window.resetMs ?? 0;
  const remaining = window.remaining ?? 0;
  if (window.limit === null || window.limit <= remaining) return reset;
  return Math.min(reset, Math.ceil((reset * Math.max(0, need - remaining)) / (window.limit - remaining)));
}

/** Requests a second a spent request limit refills at: what is used of it over the time until it is whole again. */
export function learnedRate(window: RateLimitWindow): number | null {
  if (window.unit !== 'requests' || window.limit === null || window.remaining === null || window.resetMs === null || window.resetMs <= 0) return null;
  const used = window.limit - window.remaining;
  return used > 0 ? (used * 1000) / window.resetMs : null;
}
