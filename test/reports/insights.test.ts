import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BestSettingRow } from '../../analysis/bestSettings.ts';
import type { DialEffectRow } from '../../analysis/dialEffects.ts';
import type { ConditionPairRow } from '../../analysis/aggregate/analyze.ts';
import type { RankingRow } from '../../analysis/ranking.ts';
import { renderInsights, writeFindings, type InsightsInput } from '../../reports/insights.ts';

const GOLDEN = fileURLToPath(new URL('../golden/insights.md', import.meta.url));

const rank = (lane: string, model: string, rate: number, lo: number, hi: number, r: number, taskSettings = '{}', condition = lane): RankingRow => ({
  suite: 'mcq', metric: 'credited', lane, condition, task_settings: taskSettings, model, provider: 'sim', runs: 1, n: 200, clusters: 50, attempted: 600, scored: 600, model_failure_rate: 0, missing_rate: 0, abstain_rate: 0.1, answered_accuracy: rate / 0.9, rate, se: 0.02, ci_lo: lo, ci_hi: hi, method: 'clustered-t', rank: r, design_effect: Number.NaN,
});

const pair = (a: string, b: string, diff: number, lo: number, hi: number, pHolm: number, significant: boolean): ConditionPairRow => ({
  suite: 'mcq', metric: 'credited', lane_a: a, lane_b: b, condition_a: a, condition_b: b, task_settings: '{}', model_a: 'm', model_b: 'm', n_items: 200, clusters: 50, rate_a: 0.7, rate_b: 0.7 - diff, diff, se: 0.02, ci_lo: lo, ci_hi: hi, df: 49,
  correlation: 0.4, mde: 0.056, test: 'paired-t', discordant_a: null, discordant_b: null, p_value: pHolm / 3, p_holm: pHolm, q_bh: pHolm / 2, significant,
  adjusted_ci_lo: lo - 0.01, adjusted_ci_hi: hi + 0.01, family: 'lane_pairs:suite=mcq,metric=credited', family_size: 6,
});

const best: BestSettingRow[] = [
  { suite: 'mcq', metric: 'credited', model: 'sim-alpha', baseline_lane: 'alpha.t0-2', baseline_setting: 'alpha.t0-2', baseline_rate: 0.61, settings: 3, best_setting: 'alpha.t0-7 · cards_budget=5', best_lane: 'alpha.t0-7', best_rate: 0.72, diff: 0.11, ci_lo: 0.06, ci_hi: 0.16, p_holm: 0.00002, n_items: 200, verdict: 'beats the baseline', test: 'paired-t', p_value: 0.00001, adjusted_ci_lo: 0.05, adjusted_ci_hi: 0.17, family: 'best_settings:suite=mcq,metric=credited,model=sim-alpha', family_size: 2, tied_settings: 'alpha.t0-7 · cards_budget=5' },
  { suite: 'mcq', metric: 'credited', model: 'sim-beta', baseline_lane: 'beta.t0-2', baseline_setting: 'beta.t0-2', baseline_rate: 0.55, settings: 2, best_setting: null, best_lane: null, best_rate: null, diff: null, ci_lo: null, ci_hi: null, p_holm: null, n_items: null, verdict: 'no setting reliably beats the baseline', test: null, p_value: null, adjusted_ci_lo: null, adjusted_ci_hi: null, family: 'best_settings:suite=mcq,metric=credited,model=sim-beta', family_size: 1, tied_settings: 'beta.t1-0; beta.t0-2' },
  { suite: 'mcq', metric: 'credited', model: 'sim-gamma', baseline_lane: 'gamma.t0-2', baseline_setting: 'gamma.t0-2', baseline_rate: 0.4, settings: 1, best_setting: null, best_lane: null, best_rate: null, diff: null, ci_lo: null, ci_hi: null, p_holm: null, n_items: null, verdict: 'only the baseline setting was run', test: null, p_value: null, adjusted_ci_lo: null, adjusted_ci_hi: null, family: 'best_settings:suite=mcq,metric=credited,model=sim-gamma', family_size: 0, tied_settings: 'gamma.t0-2' },
];

const effect = (dial: string, from: string, to: string, diff: number, lo: number, hi: number, pHolm: number, significant: boolean): DialEffectRow => ({
  suite: 'mcq', metric: 'credited', model: 'sim-alpha', dial, from_value: from, to_value: to, held_fixed: 'cards_budget=3, task=mcq', lane_from: 'alpha.t0-2', lane_to: 'alpha.t0-7', n_items: 200, clusters: 50,
  rate_from: 0.6, rate_to: 0.6 + diff, diff, se: 0.02, ci_lo: lo, ci_hi: hi, mde: 0.056, test: 'paired-t', p_value: pHolm / 2, p_holm: pHolm, q_bh: pHolm, significant,
  adjusted_ci_lo: lo - 0.01, adjusted_ci_hi: hi + 0.01, family: 'dial_effects:suite=mcq,metric=credited,model=sim-alpha', family_size: 3,
});

export const FIXTURE: InsightsInput = {
  generatedAt: '2026-11-22T10:00:00.000Z',
  totals: { files: 7, runs: 6, steps: 3600, quarantined: 2, hiddenLanes: 0 },
  ranking: [rank('alpha.t0-7', 'sim-alpha', 0.72, 0.69, 0.75, 1), rank('beta.t1-0', 'sim-beta', 0.58, 0.54, 0.62, 2), rank('beta.t0-2', 'sim-beta', 0.55, 0.51, 0.6, 2), rank('alpha.t0-2', 'sim-alpha', 0.61, 0.57, 0.65, 2)],
  pairs: [
    pair('alpha.t0-7', 'beta.t0-2', 0.17, 0.12, 0.22, 0.0001, true),
    pair('beta.t1-0', 'beta.t0-2', 0.03, -0.01, 0.07, 0.3, false),
    // p passes but the interval crosses zero: never stated as a win.
    pair('alpha.t0-2', 'beta.t0-2', 0.06, -0.002, 0.122, 0.04, false),
  ],
  best,
  dialEffects: [effect('temperature', '0.2', '0.7', 0.11, 0.06, 0.16, 0.0004, true), effect('top_p', 'default', '0.9', -0.01, -0.05, 0.03, 0.8, false)],
  modelSteps: [
    { provider: 'sim', model: 'sim-alpha', steps: 2400, errors: 24, error_share: 0.01, abstain_share: 0.12, cost_usd: 3.21, cost_usd_per_1k_steps: 1.3375, latency_ms_p50: 612.5 },
    { provider: 'sim', model: 'sim-beta', steps: 1200, errors: 0, error_share: 0, abstain_share: 0.2, cost_usd: null, cost_usd_per_1k_steps: null, latency_ms_p50: null },
  ],
  errorKinds: [{ provider: 'sim', model: 'sim-alpha', error_kind: 'rate_limit', steps: 20 }, { provider: 'sim', model: 'sim-alpha', error_kind: 'server', steps: 4 }],
  quarantine: [{ file: 'smoke/r1.jsonl', lines: 2, first_line: 14, first_reason: 'not valid JSON (51 characters, cut off mid-line)' }],
};

const insights = suite('renderInsights');

insights('matches the golden file (UPDATE_GOLDEN=1 rewrites it after a deliberate change)', () => {
  const text = renderInsights(FIXTURE);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, text);
  assert.fixture(text, readFileSync(GOLDEN, 'utf8'));
});

insights('states a win only for results that passed the statistics', () => {
  const findings = writeFindings(FIXTURE).join('\n');
  assert.match(findings, /\*\*alpha\.t0-7\*\* beats beta\.t0-2 by 17\.0 points/);
  assert.not.match(findings, /beta\.t1-0\*\* beats/, 'an interval that crosses zero is not a win');
  assert.not.match(findings, /alpha\.t0-2\*\* beats beta\.t0-2/, 'a small p with an interval that crosses zero is not a win');
  assert.match(findings, /no setting reliably beats the baseline beta\.t0-2; statistically tied at the top: beta\.t1-0; beta\.t0-2/);
  assert.match(findings, /temperature 0\.2 → 0\.7 raises the credited rate by 11\.0 points/);
  assert.not.match(findings, /top_p default → 0\.9/);
  assert.match(findings, /On mcq · credited, \*\*alpha\.t0-7\*\* leads/);
});

insights('with nothing significant it says so instead of inventing findings', () => {
  const quiet: InsightsInput = { ...FIXTURE, ranking: FIXTURE.ranking.map((r) => ({ ...r, rank: 1 })), pairs: FIXTURE.pairs.map((p) => ({ ...p, significant: false })), best: [FIXTURE.best[1]], dialEffects: [FIXTURE.dialEffects[1]], totals: { ...FIXTURE.totals, quarantined: 0 } };
  const findings = writeFindings(quiet);
  assert.not.ok(findings.some((f) => / beats | leads| raises | lowers /.test(f.replace('reliably beats the baseline', ''))), findings.join('\n'));
  assert.match(findings.join('\n'), /4 lanes share rank 1 \(their 95% intervals overlap\)/);
  assert.not.match(findings.join('\n'), /Paired on shared items/);
});

insights('lanes that share rank 1 but a paired test separates are named as separated', () => {
  const tied: InsightsInput = { ...FIXTURE, ranking: FIXTURE.ranking.map((r) => ({ ...r, rank: 1 })) };
  const sentence = writeFindings(tied).find((f) => f.includes('share rank 1')) ?? '';
  assert.match(sentence, /Paired on shared items, alpha\.t0-7 > beta\.t0-2/);
  assert.not.match(sentence, /beta\.t1-0 >|> beta\.t1-0/, 'a pair whose interval crosses zero does not separate them');
});

insights('names ranking rows by condition: a lane under other task settings is a row of its own', () => {
  const sc3 = rank('alpha.t0-7', 'sim-alpha', 0.8, 0.77, 0.83, 1, '{"sc":3}', 'alpha.t0-7 · sc3');
  const input: InsightsInput = { ...FIXTURE, ranking: [sc3, ...FIXTURE.ranking.map((r) => ({ ...r, rank: r.rank + 1 }))] };
  const text = renderInsights(input);
  assert.match(text, /\| 1 \| alpha\.t0-7 · sc3 \| sim-alpha \|/);
  assert.match(text, /\| 2 \| alpha\.t0-7 \| sim-alpha \|/);
  assert.match(writeFindings(input).join('\n'), /On mcq · credited, \*\*alpha\.t0-7 · sc3\*\* leads/);
  const tied = writeFindings({ ...input, ranking: input.ranking.map((r) => ({ ...r, rank: 1 })) }).join('\n');
  assert.match(tied, /5 conditions share rank 1 \(their 95% intervals overlap\): alpha\.t0-7 · sc3, alpha\.t0-7,/);
});

insights.run();
