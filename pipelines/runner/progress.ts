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

/** A progress bar on a TTY (redrawn at most 10×/s); plain lines every `intervalMs` when piped. */
export class ProgressReporter {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly output: Output, private readonly label: string, private readonly intervalMs = 10_000) {}

  update(state: ProgressState, force = false): void {
    const now = Date.now();
    const every = this.output.interactive ? 100 : this.intervalMs;
    if (!force && now - this.lastDraw < every) return;
    this.lastDraw = now;
    const elapsed = (now - this.started) / 1000;
    const sent = state.done - (state.doneBefore ?? 0);
    const rate = elapsed >= MIN_PACE_SECONDS && sent > 0 ? sent / elapsed : null;
    const eta = rate === null ? Number.NaN : (state.total - state.done) / rate;
    const pct = state.total === 0 ? 100 : (100 * state.done) / state.total;
    const stats = `${state.done}/${state.total} ${pct.toFixed(0)}% · ${rate === null ? '–' : rate.toFixed(1)} steps/s · ETA ${formatDuration(eta)} · errors ${state.errors} · ${state.costUsd === null ? 'cost n/a' : `$${state.costUsd.toFixed(4)}`}`;
    if (this.output.interactive) {
      const width = 24;
      const filled = Math.round((width * pct) / 100);
      this.output.stderr.write(`\r${this.label} [${'='.repeat(filled)}${' '.repeat(width - filled)}] ${stats}\x1b[K`);
      this.drawn = true;
    } else {
      this.output.info(`${this.label} ${stats}`);
    }
  }

  finish(state: ProgressState): void {
    this.update(state, true);
    if (this.drawn) this.output.stderr.write('\n');
  }
}
