// The SQL of a run's metric and a step's value, generated from their one definition (core/metric.ts).

import { METRICS, type MetricSpec } from '../../core/metric.ts';
import { quotedString } from '../../lib/duckdb.ts';

const column = (spec: MetricSpec): string => `"${spec.column}"`;
const spec = (name: string): MetricSpec => METRICS.find((m) => m.name === name) as MetricSpec;

/** Over a run's step rows: the name of the first metric any of them carries (NULL when none does). */
export function runMetricExpression(): string {
  return `CASE ${METRICS.map((m) => `WHEN count(${column(m)}) > 0 THEN ${quotedString(m.name)}`).join(' ')} END`;
}

/** The body of step_value(metric, status, <metric columns>): a step's worth on its run's metric. */
export function stepValueExpression(): string {
  const whens = METRICS.map((m) => {
    const value = m.fallback === undefined ? column(m) : `coalesce(${column(m)}, ${column(spec(m.fallback))})`;
    const worth = m.kind === 'verdict' ? `coalesce(${value}, false)::INTEGER` : value;
    return `WHEN metric = ${quotedString(m.name)} THEN ${worth}`;
  });
  return `CASE WHEN status = 'error' THEN NULL WHEN status = 'abstain' THEN 0 ${whens.join(' ')} END::DOUBLE`;
}

/** The macro's parameters after (metric, status): one per metric column. */
export function stepValueParameters(): string {
  return METRICS.map(column).join(', ');
}

export const METRIC_SQL_FRAGMENTS: Readonly<Record<string, () => string>> = {
  run_metric: runMetricExpression,
  step_value: stepValueExpression,
  step_value_parameters: stepValueParameters,
};
