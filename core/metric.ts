// What a run is scored on and what one step is worth on it: the one definition that `audition status` (in
// TypeScript) and the aggregate (the SQL generated from it in analysis/aggregate/metricSql.ts) both use.

import { chargeOf, type FailureCharge } from './errorKinds.ts';
import type { StepRecord } from './record.ts';

export const METRIC_NAMES = ['credited', 'correct', 'score'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricSpec {
  name: MetricName;
  /** verdict: true/false, worth 1 or 0; score: a number in 0..1 as written. */
  kind: 'verdict' | 'score';
  /** The step's value for it, read from the record. */
  read: (step: StepRecord) => boolean | number | null;
  /** The records column the aggregate keeps it in. */
  column: string;
  /**
   * A verdict's stand-in when a step of a run scored on it has none: a closed-book item (no passages) has no
   * credited, so only its answer can be right or wrong.
   */
  fallback?: MetricName;
}

/** In order of preference: a run is scored on the first metric any of its steps carries. */
export const METRICS: readonly MetricSpec[] = [
  { name: 'credited', kind: 'verdict', read: (s) => s.evaluation?.citations_evidence?.credited ?? null, column: 'credited', fallback: 'correct' },
  { name: 'correct', kind: 'verdict', read: (s) => s.evaluation?.correct ?? null, column: 'correct' },
  { name: 'score', kind: 'score', read: (s) => s.evaluation?.score ?? null, column: 'score' },
];

const byName = (name: MetricName): MetricSpec => METRICS.find((m) => m.name === name) as MetricSpec;

/** The metric a run's steps are scored on (null when no step carries any). */
export function chooseMetric(steps: readonly StepRecord[]): MetricName | null {
  return METRICS.find((m) => steps.some((s) => m.read(s) !== null))?.name ?? null;
}

/** Whose failure an error step is (core/errorKinds.ts); null for a step that did not fail. */
export function stepCharge(step: StepRecord): FailureCharge | null {
  return step.status === 'error' ? chargeOf(step.error?.kind ?? 'unknown', step.task) : null;
}

/**
 * A step's worth on a metric: a model failure (an unparseable or empty answer) 0, an infrastructure failure missing
 * (null), an abstention 0, a verdict 1 or 0, a score as written.
 */
export function stepValue(metric: MetricName, step: StepRecord): number | null {
  if (step.status === 'error') return stepCharge(step) === 'model' ? 0 : null;
  if (step.status === 'abstain') return 0;
  const spec = byName(metric);
  let value = spec.read(step);
  if (value === null && spec.fallback !== undefined) value = byName(spec.fallback).read(step);
  if (spec.kind === 'score') return typeof value === 'number' ? value : null;
  return value === true ? 1 : 0;
}

/** A lane's or run's steps by outcome on its metric: what the ranking's failure columns are computed from. */
export interface StepTally {
  /** Latest step records: every attempted step, whatever came of it. */
  steps: number;
  /** Steps with a value: all but infrastructure failures (and a score step with no score). */
  scored: number;
  modelFailures: number;
  /** Infrastructure failures: missing data. */
  missing: number;
  abstains: number;
  /** The sum of the scored steps' values. */
  total: number;
}

/** Tallies steps (the latest record per key) on a metric, with stepValue and stepCharge. */
export function tallySteps(metric: MetricName, steps: readonly StepRecord[]): StepTally {
  const tally: StepTally = { steps: steps.length, scored: 0, modelFailures: 0, missing: 0, abstains: 0, total: 0 };
  for (const step of steps) {
    const value = stepValue(metric, step);
    const charge = stepCharge(step);
    if (value !== null) {
      tally.scored++;
      tally.total += value;
    }
    if (charge === 'model') tally.modelFailures++;
    if (charge === 'infrastructure') tally.missing++;
    if (step.status === 'abstain') tally.abstains++;
  }
  return tally;
}

/** The tally of two sets of steps together. */
export function addTallies(a: StepTally, b: StepTally): StepTally {
  return { steps: a.steps + b.steps, scored: a.scored + b.scored, modelFailures: a.modelFailures + b.modelFailures, missing: a.missing + b.missing, abstains: a.abstains + b.abstains, total: a.total + b.total };
}

/** What a tally says of failures, each a share of the attempted steps; NaN when there is nothing to divide by. */
export interface FailureRates {
  attempted: number;
  scored: number;
  model_failure_rate: number;
  missing_rate: number;
  abstain_rate: number;
  /** The mean value of the answered steps (scored, less model failures and abstentions, which are worth 0). */
  answered_accuracy: number;
}

/** The failure columns of a tally (see FailureRates). */
export function failureRates(t: StepTally): FailureRates {
  const answered = t.scored - t.modelFailures - t.abstains;
  const share = (k: number) => (t.steps === 0 ? Number.NaN : k / t.steps);
  return {
    attempted: t.steps, scored: t.scored, model_failure_rate: share(t.modelFailures), missing_rate: share(t.missing), abstain_rate: share(t.abstains),
    answered_accuracy: answered > 0 ? t.total / answered : Number.NaN,
  };
}
