// The best setting of each model, named only when it reliably beats the model's baseline: every other setting is
// compared with the baseline on their shared items (same suite, same metric), Holm-adjusted across the model's
// comparisons. Without a winner the answer is "no setting reliably beats the baseline" and the tied set.

import { adjustHolm, rankWithTies } from './stats/index.ts';
import { groupRuns, isBinaryMetric, poolRuns, type ItemOutcome, type ItemTotals, type Metric, type RunInfo } from './outcomes.ts';
import { compareItems, createItemIds, isSignificant, prepareItems } from './pairs.ts';
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
  p_holm: number | null;
  n_items: number | null;
  verdict: (typeof VERDICTS)[keyof typeof VERDICTS];
  /** Settings whose intervals overlap the top one's (rank 1 with ties), best first. */
  tied_settings: string;
}

/** A model's settings within one suite and metric, each with its pooled items. */
export interface SettingItems {
  setting: Setting;
  items: ItemTotals;
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
      const list = [...settings.values()].map((s) => ({ setting: s.setting, items: poolRuns(index, s.runIds) })).filter((s) => s.items.size > 0);
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

/** Finds each model's best setting against its baseline; `baselines` are lane slugs that override the default choice. */
export function findBestSettings(runs: readonly RunInfo[], index: ReadonlyMap<string, readonly ItemOutcome[]>, visible: ReadonlySet<string>, baselines: readonly string[] = []): BestSettingRow[] {
  return collectSettings(runs, index, visible).map(({ suite, metric, model, settings }) => {
    const binary = isBinaryMetric(metric);
    const labels = labelSettings(settings.map((s) => s.setting));
    const label = (s: SettingItems) => labels.get(s.setting.key) ?? s.setting.lane;
    const baseline = chooseBaselineSetting(settings, baselines);
    const ids = createItemIds();
    const summaries = settings.map((s) => summarizeItems(s.items, binary, ids.workspace));
    const ranks = rankWithTies(summaries.map((s) => ({ lo: s.lo, hi: s.hi })));
    const tied = settings.map((s, i) => ({ s, rate: summaries[i].rate, rank: ranks[i] })).filter((t) => t.rank === 1).sort((a, b) => b.rate - a.rate).map((t) => label(t.s));
    const row: BestSettingRow = {
      suite, metric, model, baseline_lane: baseline.setting.lane, baseline_setting: label(baseline), baseline_rate: summaries[settings.indexOf(baseline)].rate,
      settings: settings.length, best_setting: null, best_lane: null, best_rate: null, diff: null, ci_lo: null, ci_hi: null, p_holm: null, n_items: null,
      verdict: settings.length === 1 ? VERDICTS.alone : VERDICTS.none, tied_settings: tied.join('; '),
    };
    const baselineItems = prepareItems(baseline.items, ids);
    const others = settings.filter((s) => s !== baseline);
    const comparisons = others.map((s) => ({ s, stats: compareItems(prepareItems(s.items, ids), baselineItems, binary) }));
    const holm = adjustHolm(comparisons.map((c) => c.stats?.p ?? Number.NaN));
    const winners = comparisons
      .map((c, i) => ({ ...c, pHolm: holm[i] }))
      .filter((c) => c.stats !== null && c.stats.diff > 0 && isSignificant(c.pHolm, c.stats.lo, c.stats.hi))
      .sort((a, b) => (b.stats?.diff ?? 0) - (a.stats?.diff ?? 0));
    const best = winners[0];
    if (best?.stats != null) {
      Object.assign(row, {
        best_setting: label(best.s), best_lane: best.s.setting.lane, best_rate: summaries[settings.indexOf(best.s)].rate,
        diff: best.stats.diff, ci_lo: best.stats.lo, ci_hi: best.stats.hi, p_holm: best.pHolm, n_items: best.stats.n, verdict: VERDICTS.beats,
      });
    }
    return row;
  });
}
