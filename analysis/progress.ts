// A live run's progress from its log alone (no database): planned, done, errors, pending, cache hits, cost,
// the rate so far and an ETA from the recent pace. `audition status RUN_ID` prints it.

import type { RunLog } from '../pipelines/runlog/reader.ts';
import { chooseMetric, tallySteps } from '../core/metric.ts';

export interface RunProgress {
  run_id: string;
  file: string;
  lane: string;
  model: string;
  suite: string;
  stage: string;
  /** The latest run_end's status; without one after the last step, 'running' while a writer holds the log, else 'stopped'. */
  status: string;
  planned: number;
  done: number;
  ok: number;
  abstain: number;
  errors: number;
  /** Errors charged to the model (core/errorKinds.ts): failed attempts, worth 0 in the rate. */
  model_failures: number;
  /** Errors charged to the infrastructure: missing from the rate; --resume sends them again. */
  missing: number;
  pending: number;
  percent_done: number;
  cache_hits: number;
  metric: string;
  rate: number | null;
  /** null when a step has no cost (its model has no price): an unknown part makes the sum unknown. */
  cost_usd: number | null;
  started_at: string;
  last_step_at: string | null;
  elapsed_s: number;
  /** null until the recent steps span PACE_MIN_SPAN_MS: steps started together say nothing about the pace. */
  steps_per_min: number | null;
  eta_s: number | null;
  superseded: number;
  problem_lines: number;
}

/** The shortest span of step start times a pace is computed over; below it a few quick steps would read as thousands a minute. */
export const PACE_MIN_SPAN_MS = 10_000;

/** Summarises a run log (read with readRunLog) as of `now`; `writerAlive` says whether a process still holds its lock. */
export function summarizeProgress(log: RunLog, now: Date, { writerAlive = true }: { writerAlive?: boolean } = {}): RunProgress {
  const start = log.start;
  const limit = typeof start?.settings['limit'] === 'number' ? start.settings['limit'] : undefined;
  const items = start === null ? 0 : Math.min(start.suite.n_items, limit ?? Number.POSITIVE_INFINITY);
  const replicates = typeof start?.settings['replicates'] === 'number' ? start.settings['replicates'] : 1;
  const steps = log.steps;
  const ok = steps.filter((s) => s.status === 'ok').length;
  const abstain = steps.filter((s) => s.status === 'abstain').length;
  const errors = steps.filter((s) => s.status === 'error').length;
  const planned = Math.max(items * replicates, steps.length);
  const metric = chooseMetric(steps) ?? 'score';
  const tally = tallySteps(metric, steps);
  const times = steps.map((s) => Date.parse(s.timing.started_at ?? '')).filter(Number.isFinite).sort((a, b) => a - b);
  const startedAt = start === null ? (times[0] ?? now.getTime()) : Date.parse(start.created_at);
  const lastStep = times.length > 0 ? times[times.length - 1] : null;
  const ended = log.end !== null && (lastStep === null || Date.parse(log.end.ended_at) >= lastStep);
  // Pace from the last (up to) 200 steps, so a resumed run's idle gap does not distort it.
  const recent = times.slice(-200);
  const span = recent.length >= 2 ? recent[recent.length - 1] - recent[0] : 0;
  const pace = span >= PACE_MIN_SPAN_MS ? (recent.length - 1) / (span / 60_000) : null;
  const pending = Math.max(planned - ok - abstain - errors, 0);
  return {
    run_id: start?.run_id ?? steps[0]?.run_id ?? '',
    file: log.path,
    lane: start?.lane.slug ?? steps[0]?.lane ?? '',
    model: start?.lane.model ?? steps[0]?.model ?? '',
    suite: start?.suite.name ?? '',
    stage: start?.stage ?? '',
    status: ended && log.end !== null ? log.end.status : writerAlive ? 'running' : 'stopped',
    planned,
    // a model failure is final (resume does not send it again): done, as ok and abstain are
    done: ok + abstain + tally.modelFailures,
    ok,
    abstain,
    errors,
    model_failures: tally.modelFailures,
    missing: tally.missing,
    pending,
    percent_done: planned === 0 ? 0 : Math.round((1000 * (ok + abstain + tally.modelFailures)) / planned) / 10,
    cache_hits: steps.filter((s) => s.tokens.cached_read > 0).length,
    metric,
    rate: tally.scored === 0 ? null : tally.total / tally.scored,
    cost_usd: steps.some((s) => s.cost_usd === null) ? null : steps.reduce((sum, s) => sum + (s.cost_usd ?? 0), 0),
    started_at: new Date(startedAt).toISOString(),
    last_step_at: lastStep === null ? null : new Date(lastStep).toISOString(),
    // a finished run's elapsed time is its own duration, not the time since it started
    elapsed_s: Math.max(0, Math.round(((ended && log.end !== null ? Date.parse(log.end.ended_at) : now.getTime()) - startedAt) / 1000)),
    steps_per_min: pace === null ? null : Math.round(pace * 10) / 10,
    eta_s: pace === null || ended || !writerAlive ? null : Math.round((pending / pace) * 60),
    superseded: log.superseded,
    problem_lines: log.problems.length,
  };
}
