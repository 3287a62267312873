import type { Output } from '../../lib/output.ts';

export interface ProgressState {
  done: number;
  /** Steps a resumed run found done: they count towards done, never towards the pace. */
  doneBefore?: number;
  total: number;
  errors: number;
  /** null when the model has no price. */
  costUsd: number | null;
}

/** The shortest time a pace is measured over; before it, one quick step would read as hundreds a second. */
const MIN_PACE_SECONDS = 1;

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * A progress bar on a TTY (redrawn at most 10×/s); plain lines every `intervalMs` when piped. The pace counts only
 * the steps sent since this reporter started (not those a resumed run found done), and is left out (with the ETA)
 * until it has a second to measure over: a run stopped after a few quick steps shows no made-up rate. The last line
 * has no ETA.
 */
export class ProgressReporter {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly output: Output, private readonly label: string, private readonly intervalMs = 10_000, private readonly now: () => number = Date.now) {
    this.started = now();
  }

  update(state: ProgressState, force = false): void {
    this.draw(state, force, false);
  }

  finish(state: ProgressState): void {
    this.draw(state, true, true);
    if (this.drawn) this.output.stderr.write('\n');
  }

  private draw(state: ProgressState, force: boolean, final: boolean): void {
    const now = this.now();
    const every = this.output.interactive ? 100 : this.intervalMs;
    if (!force && now - this.lastDraw < every) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const sent = state.done - (state.doneBefore ?? 0);
    const rate = sent > 0 && elapsed >= MIN_PACE_SECONDS ? sent / elapsed : null;
    const pace = rate === null ? [] : [`${rate.toFixed(1)} steps/s`, ...(final ? [] : [`ETA ${formatDuration((state.total - state.done) / rate)}`])];
    const pct = state.total === 0 ? 100 : (100 * state.done) / state.total;
    const stats = [`${state.done}/${state.total} ${pct.toFixed(0)}%`, ...pace, `errors ${state.errors}`, state.costUsd === null ? 'cost n/a' : `$${state.costUsd.toFixed(4)}`].join(' · ');
    if (this.output.interactive) {
      const width = 24;
      const filled = Math.round((width * pct) / 100);
      this.output.stderr.write(`\r${this.label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${stats}\x1b[K`);
      this.drawn = true;
    } else {
      this.output.info(`${this.label} ${stats}`);
    }
  }
}
