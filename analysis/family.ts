// A family of comparisons adjusted together for multiplicity, named so that every row says which family its
// adjusted p-value and interval belong to. Holm's adjusted p and the interval at the step-down level Holm tested
// that hypothesis at come from one method, so "significant" and "the adjusted interval excludes 0" always agree.

import { computeComparisonInterval, isSignificant, type ComparisonCore } from './comparison.ts';
import { adjustBenjaminiHochberg, adjustHolm, computeHolmLevels } from './stats/index.ts';
import { powerMultiplier } from './stats/power.ts';

/** The family-wise error rate of every family. */
export const FAMILY_ALPHA = 0.05;

/** The power a row's minimum detectable effect (`mde`) is reported at. */
export const MDE_POWER = 0.8;

/**
 * The true difference a comparison of standard error `se` and `df` degrees of freedom detects with MDE_POWER in a
 * family of `size`: its test at Bonferroni's α/size (Holm's first step, which a real effect among nulls is tested
 * at), (t(1 − α/2size, df) + t(power, df))·se; NaN when the comparison has no spread to go by.
 */
export function familyMde(se: number, df: number, size: number): number {
  if (!Number.isFinite(se) || !(df >= 1) || size < 1) return Number.NaN;
  return powerMultiplier(df, { alpha: FAMILY_ALPHA / size, power: MDE_POWER }) * se;
}

/** The columns adjustFamily fills in on each row of a family. */
export interface FamilyColumns {
  /** The raw p-value of the comparison's test (the same in every table the comparison appears in). */
  p_value: number;
  p_holm: number;
  q_bh: number;
  /** The interval of the comparison's test at the level Holm tested it at (docs/statistics.md, section 4). */
  adjusted_ci_lo: number;
  adjusted_ci_hi: number;
  /** The family p_holm, q_bh and the adjusted interval are computed in, and its number of comparisons. */
  family: string;
  family_size: number;
  /** Holm-adjusted p < .05, equivalently the adjusted interval excludes zero. */
  significant: boolean;
}

/** Returns a family's name: the table, then the scope it is adjusted within, e.g. `lane_pairs:suite=S,metric=M`. */
export function nameFamily(table: string, scope: Record<string, string>): string {
  return `${table}:${Object.entries(scope).map(([k, v]) => `${k}=${v}`).join(',')}`;
}

/**
 * Adjusts one family in place: Holm (confirmatory) p, its adjusted interval (the comparison's own interval at
 * confidence 1 − its Holm step-down level), Benjamini–Hochberg q (a screen), the significance flag (Holm p < .05,
 * equivalently the adjusted interval excludes 0), the family's name and size (the comparisons with a p-value), and
 * for a row that reports one, its minimum detectable effect in this family (familyMde).
 */
export function adjustFamily<R extends FamilyColumns>(rows: readonly R[], family: string, coreOf: (row: R) => ComparisonCore): void {
  const ps = rows.map((r) => r.p_value);
  const holm = adjustHolm(ps);
  const bh = adjustBenjaminiHochberg(ps);
  const levels = computeHolmLevels(ps, FAMILY_ALPHA);
  const size = ps.filter((p) => !Number.isNaN(p)).length;
  rows.forEach((r, i) => {
    const { lo, hi } = Number.isNaN(levels[i]) ? { lo: Number.NEGATIVE_INFINITY, hi: Number.POSITIVE_INFINITY } : computeComparisonInterval(coreOf(r), 1 - levels[i]);
    Object.assign(r, { p_holm: holm[i], q_bh: bh[i], adjusted_ci_lo: lo, adjusted_ci_hi: hi, family, family_size: size, significant: isSignificant(holm[i], lo, hi) });
    if ('mde' in r) {
      const { se, df } = coreOf(r);
      Object.assign(r, { mde: familyMde(se, df, size) });
    }
  });
}
