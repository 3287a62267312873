// Multiple-comparison adjustments of p-values, with the semantics of statsmodels' multipletests ('holm', 'fdr_bh'):
// adjusted values come back in input order, monotone in the raw p-values, capped at 1. NaN entries (tests that
// could not be run) are left out of the count m and stay NaN, as R's p.adjust does.

/** Throws a RangeError unless every p-value is NaN or in [0, 1]. */
function assertPValues(ps: readonly number[]): void {
  ps.forEach((p, i) => {
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i} must be in [0, 1], got ${p}`);
  });
}

/** Returns the indices of the non-NaN p-values, sorted by p ascending (stable). */
function sortIndices(ps: readonly number[]): number[] {
  return ps.flatMap((p, i) => (Number.isNaN(p) ? [] : [i])).sort((i, j) => ps[i] - ps[j]);
}

/** Returns Holm's step-down adjusted p-values (family-wise error control), in input order. */
export function adjustHolm(ps: readonly number[]): number[] {
  assertPValues(ps);
  const order = sortIndices(ps);
  const m = order.length;
  const adjusted = ps.map(() => Number.NaN);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * ps[index]));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Returns Benjamini–Hochberg step-up adjusted p-values (false discovery rate), in input order. */
export function adjustBenjaminiHochberg(ps: readonly number[]): number[] {
  assertPValues(ps);
  const order = sortIndices(ps);
  const m = order.length;
  const adjusted = ps.map(() => Number.NaN);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank];
    running = Math.min(running, ps[index] / ((rank + 1) / m)); // statsmodels: p / ecdf factor
    adjusted[index] = running;
  }
  return adjusted;
}

/**
 * Returns the level each hypothesis is tested at in Holm's step-down procedure at family-wise level alpha, in
 * input order (NaN for a NaN p-value): α/(m − k + 1) for the k-th smallest p while every step so far rejected, and
 * the level of the first step that did not reject for it and every later one. So a hypothesis is rejected
 * (adjustHolm < alpha) exactly when its own p is below its level, and an interval at confidence 1 − level built by
 * inverting the same test is the Holm-adjusted interval: it excludes the null exactly when Holm rejects.
 */
export function computeHolmLevels(ps: readonly number[], alpha = 0.05): number[] {
  const adjusted = adjustHolm(ps);
  const order = sortIndices(ps);
  const m = order.length;
  const levels = ps.map(() => Number.NaN);
  let stopped: number | undefined;
  order.forEach((index, rank) => {
    if (stopped === undefined && !(adjusted[index] < alpha)) stopped = alpha / (m - rank);
    levels[index] = stopped ?? alpha / (m - rank);
  });
  return levels;
}
