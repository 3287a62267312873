// INSIGHTS.md: the aggregate's tables as Markdown, and findings in plain sentences. A pure function of its input
// tables; a sentence that says one thing beats another is written only from a result that passed the statistics
// (Holm-adjusted p < .05 and a 95% interval that excludes zero), never from overlapping intervals.

import type { BestSettingRow } from '../analysis/bestSettings.ts';
import type { DialEffectRow } from '../analysis/dialEffects.ts';
import { describeMissingData } from './missingData.ts';
import type { ConditionPairRow } from '../analysis/aggregate/analyze.ts';
import type { RankingRow } from '../analysis/ranking.ts';
import { writeFileAtomic } from '../lib/files.ts';

/** Per-model step rollup (by_model_steps), the columns the report uses. */
export interface ModelStepsRow {
  provider: string;
  model: string;
  steps: number;
  errors: number;
  error_share: number;
  abstain_share: number;
  cost_usd: number | null;
  cost_usd_per_1k_steps: number | null;
  latency_ms_p50: number | null;
}

export interface ErrorKindRow {
  provider: string;
  model: string;
  error_kind: string | null;
  steps: number;
}

export interface QuarantineSummaryRow {
  file: string;
  lines: number;
  first_line: number;
  first_reason: string;
}

export interface InsightsInput {
  generatedAt: string;
  /** hiddenLanes: lanes with runs that the registry hides; they are left out of this report. */
  totals: { files: number; runs: number; steps: number; quarantined: number; hiddenLanes: number };
  ranking: readonly RankingRow[];
  pairs: readonly ConditionPairRow[];
  best: readonly BestSettingRow[];
  dialEffects: readonly DialEffectRow[];
  modelSteps: readonly ModelStepsRow[];
  errorKinds: readonly ErrorKindRow[];
  quarantine: readonly QuarantineSummaryRow[];
}

/** How many rows of long tables the report shows; the full tables are in the database and exports. */
export const REPORT_LIMITS = { pairs: 15, dialEffects: 40, quarantine: 10 } as const;

const percent = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(1)}%`);
const points = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pts`);
const interval = (lo: number | null | undefined, hi: number | null | undefined, format: (x: number) => string): string =>
  lo === null || lo === undefined || hi === null || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi) ? '(unknown)' : `[${format(lo)}, ${format(hi)}]`;
const signedPoints = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
const pValue = (p: number | null | undefined): string => (p === null || p === undefined || !Number.isFinite(p) ? '–' : p < 0.0001 ? '< 0.0001' : p.toFixed(4));
const count = (n: number): string => n.toLocaleString('en-US');
const money = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `$${x.toFixed(x >= 100 ? 0 : 2)}`);
/** Pipes and newlines would break a Markdown table cell. */
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function table(header: string[], rows: string[][], align: ('l' | 'r')[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.map((a) => (a === 'r' ? '---:' : ':---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function groupsOf<T extends { suite: string; metric: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(`${r.suite} · ${r.metric}`, [...(groups.get(`${r.suite} · ${r.metric}`) ?? []), r]);
  return groups;
}

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Plain-sentence findings, each backed by a result that passed the statistics. */
export function writeFindings(input: InsightsInput): string[] {
  const findings: string[] = describeMissingData(input.ranking).map((warning) => `**Warning:** ${warning}`);
  for (const [group, rows] of groupsOf(input.ranking)) {
    const top = rows.filter((r) => r.rank === 1);
    if (rows.length === 1) continue;
    if (top.length === 1) {
      findings.push(`On ${group}, **${top[0].condition}** leads: ${percent(top[0].rate)} ${interval(top[0].ci_lo, top[0].ci_hi, percent)}, its interval above every other row's.`);
    } else {
      // Overlapping marginal intervals are a weaker test than a paired one on shared items: say which paired tests still separate the leaders.
      const leaders = new Set(top.map((r) => r.condition));
      const separated = input.pairs.filter((p) => p.significant && `${p.suite} · ${p.metric}` === group && leaders.has(p.condition_a) && leaders.has(p.condition_b));
      const split = separated.length === 0 ? '' : ` Paired on shared items, ${separated.map((p) => (p.diff > 0 ? `${p.condition_a} > ${p.condition_b}` : `${p.condition_b} > ${p.condition_a}`)).join(', ')}.`;
      // A lane run under two task settings is two rows: count conditions then, not lanes.
      const noun = new Set(top.map((r) => r.lane)).size === top.length ? 'lanes' : 'conditions';
      findings.push(`On ${group}, ${top.length} ${noun} share rank 1 (their 95% intervals overlap): ${top.map((r) => r.condition).join(', ')}.${split}`);
    }
  }
  const significant = input.pairs.filter((p) => p.significant);
  for (const p of [...significant].sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff)).slice(0, REPORT_LIMITS.pairs)) {
    const [winner, loser] = p.diff > 0 ? [p.condition_a, p.condition_b] : [p.condition_b, p.condition_a];
    findings.push(`On ${p.suite} · ${p.metric}, **${winner}** beats ${loser} by ${Math.abs(p.diff * 100).toFixed(1)} points on ${count(p.n_items)} shared items (95% CI ${interval(Math.min(Math.abs(p.ci_lo), Math.abs(p.ci_hi)), Math.max(Math.abs(p.ci_lo), Math.abs(p.ci_hi)), (x) => (x * 100).toFixed(1))}, Holm p ${pValue(p.p_holm)}).`);
  }
  if (input.pairs.length > 0) {
    const mde = median(input.pairs.map((p) => p.mde));
    findings.push(`${count(significant.length)} of ${count(input.pairs.length)} lane pairs differ significantly after Holm; on these items a difference smaller than about ${Number.isFinite(mde) ? (mde * 100).toFixed(1) : '–'} points (median minimum detectable effect) would usually go unseen.`);
  }
  for (const b of input.best) {
    if (b.verdict === 'beats the baseline' && b.diff !== null) {
      findings.push(`For ${b.model} on ${b.suite}, **${b.best_setting}** beats the baseline ${b.baseline_setting} by ${(b.diff * 100).toFixed(1)} points (95% CI ${interval(b.ci_lo, b.ci_hi, (x) => (x * 100).toFixed(1))}, Holm p ${pValue(b.p_holm)}).`);
    } else if (b.verdict === 'no setting reliably beats the baseline') {
      findings.push(`For ${b.model} on ${b.suite}, no setting reliably beats the baseline ${b.baseline_setting}; statistically tied at the top: ${b.tied_settings}.`);
    }
  }
  for (const d of input.dialEffects.filter((e) => e.significant)) {
    const verb = d.diff > 0 ? 'raises' : 'lowers';
    findings.push(`For ${d.model} on ${d.suite}, ${d.dial} ${d.from_value} → ${d.to_value} ${verb} the ${d.metric} rate by ${Math.abs(d.diff * 100).toFixed(1)} points (95% CI ${interval(d.ci_lo, d.ci_hi, signedPoints)}, Holm p ${pValue(d.p_holm)}; held fixed: ${d.held_fixed || 'no other dial varies'}).`);
  }
  if (input.totals.quarantined > 0) findings.push(`${count(input.totals.quarantined)} log lines could not be used and are in the quarantine table (file, line, reason).`);
  return findings;
}

/** Renders INSIGHTS.md from the aggregate's tables. */
export function renderInsights(input: InsightsInput): string {
  const out: string[] = [
    '# Insights',
    '',
    `Generated ${input.generatedAt} from ${count(input.totals.runs)} runs (${count(input.totals.steps)} steps in ${count(input.totals.files)} log files).${input.totals.hiddenLanes > 0 ? ` Lanes hidden in the lane registry (${count(input.totals.hiddenLanes)}) are left out of this report; their steps stay in the database.` : ''}`,
    'A ranking row is a condition: a lane under one set of task settings, named by the settings that are not their defaults (`lane · sc3`); only runs with the same settings are pooled, and lane pairs compare lanes under the same settings.',
    'Rates are means over items (replicates averaged first); a model failure (an answer that does not parse, an empty one) counts as 0, an infrastructure failure (rate limit, timeout, server, network…) is missing and left out; intervals are 95% — Wilson for one attempt an item, otherwise t with item-clustered standard errors.',
    'A difference is called significant only when its Holm-adjusted p < .05 and its interval excludes zero; rows whose intervals overlap share a rank.',
    '',
    '## Findings',
    '',
  ];
  const findings = writeFindings(input);
  out.push(...(findings.length === 0 ? ['No result passed the statistics yet: more items or replicates are needed to tell these lanes apart.'] : findings.map((f) => `- ${f}`)));

  out.push('', '## Rankings', '');
  if (input.ranking.length === 0) out.push('No scored steps yet.');
  else out.push('attempted: steps run; model failures, missing (infrastructure failures) and abstained: shares of them; answered accuracy: the mean on the answers given.', '');
  for (const [group, rows] of groupsOf(input.ranking)) {
    out.push(`### ${group}`, '');
    out.push(...table(['rank', 'condition', 'model', 'n', 'clusters', 'rate', '95% CI', 'method', 'attempted', 'model failures', 'missing', 'abstained', 'answered accuracy'],
      rows.map((r) => [String(r.rank), r.condition, r.model, count(r.n), count(r.clusters), percent(r.rate), interval(r.ci_lo, r.ci_hi, percent), r.method, count(r.attempted), percent(r.model_failure_rate), percent(r.missing_rate), percent(r.abstain_rate), percent(r.answered_accuracy)]),
      ['r', 'l', 'l', 'r', 'r', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'r']), '');
  }

  out.push('## Best settings', '');
  if (input.best.length === 0) out.push('No model has scored runs yet.', '');
  else {
    out.push(...table(['model', 'suite', 'baseline', 'verdict', 'best setting', 'Δ vs baseline', '95% CI', 'Holm p', 'statistically tied at the top'],
      input.best.map((b) => [b.model, `${b.suite} · ${b.metric}`, `${b.baseline_setting} (${percent(b.baseline_rate)})`, b.verdict, b.best_setting ?? '–', points(b.diff), b.diff === null ? '–' : interval(b.ci_lo, b.ci_hi, signedPoints), pValue(b.p_holm), b.tied_settings]),
      ['l', 'l', 'l', 'l', 'l', 'r', 'l', 'r', 'l']), '');
  }

  out.push('## Dial effects', '', 'Each row changes one dial from its reference level with every other dial held fixed, on the items both settings ran.', '');
  if (input.dialEffects.length === 0) out.push('No two settings of a model differ in exactly one dial yet.', '');
  else {
    const shown = [...input.dialEffects].sort((a, b) => Number(b.significant) - Number(a.significant) || Math.abs(b.diff) - Math.abs(a.diff)).slice(0, REPORT_LIMITS.dialEffects);
    out.push(...table(['model', 'suite', 'dial', 'from → to', 'held fixed', 'n', 'Δ', '95% CI', 'MDE', 'Holm p', 'significant'],
      shown.map((d) => [d.model, `${d.suite} · ${d.metric}`, d.dial, `${d.from_value} → ${d.to_value}`, d.held_fixed || '–', count(d.n_items), points(d.diff), interval(d.ci_lo, d.ci_hi, signedPoints), (d.mde * 100).toFixed(1), pValue(d.p_holm), d.significant ? 'yes' : 'no']),
      ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'l', 'r', 'r', 'l']), '');
    if (input.dialEffects.length > shown.length) out.push(`… and ${count(input.dialEffects.length - shown.length)} more rows in the dial_effects table.`, '');
  }

  out.push('## Lane pairs', '');
  const significant = input.pairs.filter((p) => p.significant);
  const screened = input.pairs.filter((p) => p.q_bh < 0.05);
  out.push(`${count(input.pairs.length)} pairs compared on shared items: ${count(significant.length)} significant after Holm, ${count(screened.length)} flagged by the Benjamini–Hochberg screen (q < .05).`, '');
  if (significant.length > 0) {
    const shown = [...significant].sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff)).slice(0, REPORT_LIMITS.pairs);
    out.push(...table(['suite', 'A', 'B', 'n', 'Δ (A − B)', '95% CI', 'test', 'Holm p', 'BH q'],
      shown.map((p) => [`${p.suite} · ${p.metric}`, p.condition_a, p.condition_b, count(p.n_items), points(p.diff), interval(p.ci_lo, p.ci_hi, signedPoints), p.test, pValue(p.p_holm), pValue(p.q_bh)]),
      ['l', 'l', 'l', 'r', 'r', 'l', 'l', 'r', 'r']), '');
    if (significant.length > shown.length) out.push(`… and ${count(significant.length - shown.length)} more significant pairs in the lane_pairs table.`, '');
  }

  out.push('## Errors and cost', '');
  if (input.modelSteps.length === 0) out.push('No steps yet.', '');
  else {
    const kinds = (m: ModelStepsRow) => input.errorKinds.filter((k) => k.provider === m.provider && k.model === m.model).slice(0, 3).map((k) => `${k.error_kind ?? 'unknown'} ${count(k.steps)}`).join(', ') || '–';
    out.push(...table(['provider', 'model', 'steps', 'errors', 'error share', 'top error kinds', 'abstain share', 'cost', '$ / 1k steps', 'p50 latency'],
      input.modelSteps.map((m) => [m.provider, m.model, count(m.steps), count(m.errors), percent(m.error_share), kinds(m), percent(m.abstain_share), money(m.cost_usd), money(m.cost_usd_per_1k_steps), m.latency_ms_p50 === null ? '–' : `${Math.round(m.latency_ms_p50)} ms`]),
      ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r']), '');
  }

  out.push('## Quarantine', '');
  if (input.quarantine.length === 0) out.push('Every log line was usable.', '');
  else {
    out.push(`${count(input.totals.quarantined)} lines in ${count(input.quarantine.length)} files could not be used (query the quarantine table for all of them):`, '');
    out.push(...table(['file', 'lines', 'first line', 'first reason'], input.quarantine.slice(0, REPORT_LIMITS.quarantine).map((q) => [q.file, count(q.lines), String(q.first_line), q.first_reason]), ['l', 'r', 'r', 'l']), '');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/** Writes INSIGHTS.md through a temp file and rename. */
export async function writeInsights(path: string, input: InsightsInput): Promise<void> {
  await writeFileAtomic(path, renderInsights(input));
}
