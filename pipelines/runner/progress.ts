import type { Output } from '../../lib/output.ts';

export interface ProgressState {
  done: number;
  total: number;
  errors: number;
  costUsd: number;
}

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
    const rate = state.done / Math.max(elapsed, 1e-3);
    const eta = (state.total - state.done) / Math.max(rate, 1e-9);
    const pct = state.total === 0 ? 100 : (100 * state.done) / state.total;
    const stats = `${state.done}/${state.total} ${pct.toFixed(0)}% · ${rate.toFixed(1)} steps/s · ETA ${formatDuration(eta)} · errors ${state.errors} · $${state.costUsd.toFixed(4)}`;
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
