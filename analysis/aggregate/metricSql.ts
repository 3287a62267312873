// The SQL of a run's metric, a failed step's charge and a step's value, generated from their one definition
// (core/metric.ts, core/errorKinds.ts).

import { ERROR_CHARGES, ERROR_KINDS, MODEL_CHARGEABLE_KINDS, TASK_ERROR_SOURCE } from '../../core/errorKinds.ts';
import { METRICS, type MetricSpec } from '../../core/metric.ts';
import { quotedString } from '../../lib/duckdb.ts';

const column = (spec: MetricSpec): string => `"${spec.column}"`;
const spec = (name: string): MetricSpec => METRICS.find((m) => m.name === name) as MetricSpec;

/** Over a run's step rows: the name of the first metric any of them carries (NULL when none does). */
export function runMetricExpression(): string {
  return `CASE ${METRICS.map((m) => `WHEN count(${column(m)}) > 0 THEN ${quotedString(m.name)}`).join(' ')} END`;
}

const sqlList = (values: readonly string[]): string => `(${values.map(quotedString).join(', ')})`;

/**
 * The body of step_charge(status, error_kind, task): 'model' or 'infrastructure' for an error step, NULL for
 * another; a kind this version does not know (or none) is charged as `unknown`.
 */
export function stepChargeExpression(): string {
  const kind = `CASE WHEN error_kind IN ${sqlList(ERROR_KINDS)} THEN error_kind ELSE 'unknown' END`;
  const byKind = (charge: string) => Object.entries(ERROR_CHARGES).filter(([, c]) => c === charge).map(([k]) => k);
  const marked = `json_extract_string(task, ${quotedString(`$.${TASK_ERROR_SOURCE.key}`)}) = ${quotedString(TASK_ERROR_SOURCE.value)}`;
  const model = `${kind} IN ${sqlList(byKind('model'))} OR (${kind} IN ${sqlList(MODEL_CHARGEABLE_KINDS)} AND coalesce(${marked}, false))`;
  return `CASE WHEN status <> 'error' THEN NULL WHEN ${model} THEN 'model' ELSE 'infrastructure' END`;
}

/** The body of step_value(metric, status, error_kind, task, <metric columns>): a step's worth on its run's metric. */
export function stepValueExpression(): string {
  const whens = METRICS.map((m) => {
    const value = m.fallback === undefined ? column(m) : `coalesce(${column(m)}, ${column(spec(m.fallback))})`;
    const worth = m.kind === 'verdict' ? `coalesce(${value}, false)::INTEGER` : value;
    return `WHEN metric = ${quotedString(m.name)} THEN ${worth}`;
  });
  return `CASE WHEN status = 'error' THEN CASE WHEN step_charge(status, error_kind, task) = 'model' THEN 0 END WHEN status = 'abstain' THEN 0 ${whens.join(' ')} END::DOUBLE`;
}

/** The macro's parameters after (metric, status, error_kind, task): one per metric column. */
export function stepValueParameters(): string {
  return METRICS.map(column).join(', ');
}

export const METRIC_SQL_FRAGMENTS: Readonly<Record<string, () => string>> = {
  run_metric: runMetricExpression,
  step_charge: stepChargeExpression,
  step_value: stepValueExpression,
  step_value_parameters: stepValueParameters,
};
