// What a run is scored on and what one step is worth on it: the one definition that `audition status` (in
// TypeScript) and the aggregate (the SQL generated from it in analysis/aggregate/metricSql.ts) both use.

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

/** A step's worth on a metric: an error is missing (null), an abstention 0, a verdict 1 or 0, a score as written. */
export function stepValue(metric: MetricName, step: StepRecord): number | null {
  if (step.status === 'error') return null;
  if (step.status === 'abstain') return 0;
  const spec = byName(metric);
  let value = spec.read(step);
  if (value === null && spec.fallback !== undefined) value = byName(spec.fallback).read(step);
  if (spec.kind === 'score') return typeof value === 'number' ? value : null;
  return value === true ? 1 : 0;
}
