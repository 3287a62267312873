import type { SendOptions } from '../../core/chat.ts';

/**
 * One request's end: the caller's signal (the run is stopping) or its own timer, whichever comes first.
 * SDK timeouts only cover the wait for response headers; this also bounds a body or stream that stalls,
 * and remembers which of the two fired so the error can say timeout or aborted.
 */
export class Deadline {
  readonly signal: AbortSignal;
  #timedOut = false;
  readonly #caller: AbortSignal;
  readonly #timer: NodeJS.Timeout;

  constructor(options: SendOptions) {
    const timer = new AbortController();
    this.#caller = options.signal;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      timer.abort(new DOMException(`no complete response within ${options.timeoutMs} ms`, 'TimeoutError'));
    }, options.timeoutMs);
    // AbortSignal.any adds no listener to the caller's signal, which every in-flight request shares.
    this.signal = AbortSignal.any([options.signal, timer.signal]);
  }

  /** The request's own timer fired (not the caller). */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** The caller aborted (the run is stopping), before any timeout. */
  get callerAborted(): boolean {
    return !this.#timedOut && this.#caller.aborted;
  }

  /**
   * SDK streams end quietly when their signal aborts; call this after reading one so a cut-short
   * stream is an error, never a short answer.
   */
  throwIfAborted(): void {
    this.signal.throwIfAborted();
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/** Runs `work` under a fresh deadline and always clears its timer. */
export async function withDeadline<T>(options: SendOptions, work: (deadline: Deadline) => Promise<T>): Promise<T> {
  const deadline = new Deadline(options);
  try {
    return await work(deadline);
  } finally {
    deadline.dispose();
  }
}
