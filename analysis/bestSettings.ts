// The best setting of each model, named only when it reliably beats the model's baseline: every other setting is
// compared with the baseline on their shared items (same suite, same metric), Holm-adjusted across the model's
// comparisons. Without a winner the answer is "no setting reliably beats the baseline" and the tied set.

import type { PairStats } from './comparison.ts';
import { ComparisonStore, sideOfRuns, type ComparisonSide } from './comparisonStore.ts';
import { adjustFamily, nameFamily, type FamilyColumns } from './family.ts';
import { StatsWorkspace, rankWithTies } from './stats/index.ts';
import { groupRuns, isBinaryMetric, poolRuns, type ItemOutcome, type ItemTotals, type Metric, type RunInfo } from './outcomes.ts';
import { summarizeItems } from './ranking.ts';
import { chooseBaselineLane, labelSettings, settingOf, type Setting } from './settings.ts';

export const VERDICTS = {
  beats: 'beats the baseline',
  none: 'no setting reliably beats the baseline',
  alone: 'only the baseline setting was run',
} as const;

/** One row of best_settings: one a model, suite and metric. */
export interface BestSettingRow {
  suite: string;
  metric: Metric;
  model: string;
  baseline_lane: string;
  baseline_setting: string;
  baseline_rate: number;
  settings: number;
  best_setting: string | null;
  best_lane: string | null;
  best_rate: number | null;
  diff: number | null;
  ci_lo: number | null;
  ci_hi: number | null;
  /** The best setting's comparison with the baseline: its test, raw and Holm p, and Holm-adjusted interval. */
  test: PairStats['test'] | null;
  p_value: number | null;
  p_holm: number | null;
  adjusted_ci_lo: number | null;
  adjusted_ci_hi: number | null;
  n_items: number | null;
  /** The family the model's comparisons with its baseline are Holm-adjusted in, and its number of comparisons. */
  family: string;
  family_size: number;
  verdict: (typeof VERDICTS)[keyof typeof VERDICTS];
  /** Settings whose intervals overlap the top one's (rank 1 with ties), best first. */
  tied_settings: string;
}

/** A model's settings within one suite and metric, each with its pooled items and, for the store, its side. */
export interface SettingItems {
  setting: Setting;
  items: ItemTotals;
  side: ComparisonSide;
}

/** Collects the settings of each model in each suite and metric (visible lanes only). */
export function collectSettings(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>): { suite: string; metric: Metric; model: string; settings: SettingItems[] }[] {
  const out: { suite: string; metric: Metric; model: string; settings: SettingItems[] }[] = [];
  for (const group of groupRuns(runs.filter((r) => visible.has(r.lane))).values()) {
    const byModel = new Map<string, Map<string, { setting: Setting; runIds: string[] }>>();
    for (const run of group.runs) {
      const setting = settingOf(run);
      const settings = byModel.get(run.model) ?? new Map<string, { setting: Setting; runIds: string[] }>();
      byModel.set(run.model, settings);
      const entry = settings.get(setting.key);
      if (entry === undefined) settings.set(setting.key, { setting, runIds: [run.runId] });
      else entry.runIds.push(run.runId);
    }
    for (const [model, settings] of [...byModel].sort(([a], [b]) => a.localeCompare(b))) {
      const list = [...settings.values()].map((s) => {
        const items = poolRuns(index, s.runIds);
        return { setting: s.setting, items, side: sideOfRuns(s.runIds, () => items) };
      }).filter((s) => s.items.size > 0);
      if (list.length > 0) out.push({ suite: group.suite, metric: group.metric, model, settings: list });
    }
  }
  return out;
}

/** The baseline setting: on the baseline lane, the one with the most scored attempts (then the lowest key). */
function chooseBaselineSetting(settings: readonly SettingItems[], overrides: readonly string[]): SettingItems {
  const lanes = [...new Map(settings.map((s) => [s.setting.lane, { slug: s.setting.lane, dials: s.setting.dials }])).values()];
  const lane = chooseBaselineLane(lanes, overrides);
  const attempts = (s: SettingItems) => [...s.items.values()].reduce((sum, t) => sum + t.attempts, 0);
  return settings.filter((s) => s.setting.lane === lane).sort((a, b) => attempts(b) - attempts(a) || a.setting.key.localeCompare(b.setting.key))[0];
}

/**
 * Finds each model's best setting against its baseline; `baselines` are lane slugs that override the default choice.
 * Comparisons come from `store`, shared with lane_pairs and dial_effects.
 */
export function findBestSettings(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>, baselines: readonly string[] = [], store = new ComparisonStore()): BestSettingRow[] {
  return collectSettings(runs, index, visible).map(({ suite, metric, model, settings }) => {
    const binary = isBinaryMetric(metric);
    const labels = labelSettings(settings.map((s) => s.setting));
    const label = (s: SettingItems) => labels.get(s.setting.key) ?? s.setting.lane;
    const baseline = chooseBaselineSetting(settings, baselines);
    const workspace = new StatsWorkspace();
    const summaries = settings.map((s) => summarizeItems(s.items, binary, workspace));
    const ranks = rankWithTies(summaries.map((s) => ({ lo: s.lo, hi: s.hi })));
    const tied = settings.map((s, i) => ({ s, rate: summaries[i].rate, rank: ranks[i] })).filter((t) => t.rank === 1).sort((a, b) => b.rate - a.rate).map((t) => label(t.s));
    const family = nameFamily('best_settings', { suite, metric, model });
    const row: BestSettingRow = {
      suite, metric, model, baseline_lane: baseline.setting.lane, baseline_setting: label(baseline), baseline_rate: summaries[settings.indexOf(baseline)].rate,
      settings: settings.length, best_setting: null, best_lane: null, best_rate: null, diff: null, ci_lo: null, ci_hi: null,
      test: null, p_value: null, p_holm: null, adjusted_ci_lo: null, adjusted_ci_hi: null, n_items: null, family, family_size: 0,
      verdict: settings.length === 1 ? VERDICTS.alone : VERDICTS.none, tied_settings: tied.join('; '),
    };
    const comparisons: (FamilyColumns & { s: SettingItems; stats: PairStats })[] = [];
    for (const s of settings) {
      const stats = s === baseline ? null : store.compare(suite, metric, s.side, baseline.side, binary);
      if (stats === null) continue;
      comparisons.push({ s, stats, p_value: stats.p, p_holm: Number.NaN, q_bh: Number.NaN, adjusted_ci_lo: Number.NaN, adjusted_ci_hi: Number.NaN, family, family_size: 0, significant: false });
    }
    adjustFamily(comparisons, family, (c) => c.stats);
    row.family_size = comparisons[0]?.family_size ?? 0;
    const best = comparisons.filter((c) => c.stats.diff > 0 && c.significant).sort((a, b) => b.stats.diff - a.stats.diff)[0];
    if (best !== undefined) {
      Object.assign(row, {
        best_setting: label(best.s), best_lane: best.s.setting.lane, best_rate: summaries[settings.indexOf(best.s)].rate,
        diff: best.stats.diff, ci_lo: best.stats.lo, ci_hi: best.stats.hi, test: best.stats.test, p_value: best.stats.p, p_holm: best.p_holm,
        adjusted_ci_lo: best.adjusted_ci_lo, adjusted_ci_hi: best.adjusted_ci_hi, n_items: best.stats.n, verdict: VERDICTS.beats,
      });
    }
    return row;
  });
}
