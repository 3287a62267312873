// Ranks with honest ties: a lane is outranked only by lanes whose whole interval lies above its own.

/**
 * Returns rank_i = 1 + #{j : lo_j > hi_i} for higher-is-better scores, so lanes whose intervals overlap tie.
 * A NaN bound never counts (NaN lo outranks nobody; NaN hi is outranked by nobody).
 */
export function rankWithTies(intervals: readonly { lo: number; hi: number }[]): number[] {
  const los = intervals.map((x) => x.lo).filter((lo) => !Number.isNaN(lo)).sort((x, y) => x - y);
  return intervals.map(({ hi }) => (Number.isNaN(hi) ? 1 : 1 + los.length - countAtMost(los, hi)));
}

/** Returns how many of the ascending values are ≤ bound (binary search). */
function countAtMost(sorted: readonly number[], bound: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
