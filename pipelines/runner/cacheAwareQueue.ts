/**
 * Orders steps so prompt caches stay warm without giving up concurrency: the
 * first step of each context (a shared passage, a shared prompt) runs alone and
 * warms the provider's cache; when it finishes, the rest of that context is
 * released and preferred over opening new contexts, so replicates follow while
 * the cache is warm. Other contexts warm up in parallel.
 */
export class CacheAwareQueue<S> {
  private readonly groups: S[][];
  private nextGroup = 0;
  private readonly warming = new Map<S, S[]>();
  private readonly ready: S[] = [];
  private readyHead = 0;
  private inFlight = 0;
  private wake: (() => void) | null = null;

  constructor(groups: S[][]) {
    this.groups = groups.filter((g) => g.length > 0);
  }

  /** The next step to run now, or null when every remaining step waits on a warm-up in flight (or nothing is left). */
  take(): S | null {
    let step: S | undefined;
    if (this.readyHead < this.ready.length) {
      step = this.ready[this.readyHead++];
      if (this.readyHead > 4096 && this.readyHead * 2 > this.ready.length) {
        this.ready.splice(0, this.readyHead);
        this.readyHead = 0;
      }
    } else if (this.nextGroup < this.groups.length) {
      const [first, ...rest] = this.groups[this.nextGroup++];
      if (rest.length > 0) this.warming.set(first, rest);
      step = first;
    }
    if (step === undefined) return null;
    this.inFlight++;
    return step;
  }

  /** Marks a step finished (whatever its outcome); a finished warm-up releases its context. */
  complete(step: S): void {
    this.inFlight--;
    const rest = this.warming.get(step);
    if (rest !== undefined) {
      this.warming.delete(step);
      for (const s of rest) this.ready.push(s);
    }
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** True when no step is left to hand out, running or waiting. */
  get drained(): boolean {
    return this.readyHead >= this.ready.length && this.nextGroup >= this.groups.length && this.warming.size === 0;
  }

  get running(): number {
    return this.inFlight;
  }

  /** Resolves when a step completes (and may have released others). */
  changed(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.wake;
      this.wake = () => {
        previous?.();
        resolve();
      };
    });
  }
}
