// Lanes that lack too much data to be compared fairly. An infrastructure failure (a rate limit, a timeout, the
// provider's server…) leaves a step without a value; when such steps are many, and not missing at random (the
// hardest items time out), a lane's rate is computed on a different set of items than its rivals'.

/** Above this share of its attempted steps missing, a lane's comparison may be biased and the reports say so. */
export const MISSING_RATE_WARNING = 0.05;

/** The ranking columns a missing-data warning reads. */
export interface MissingDataRow {
  suite: string;
  metric: string;
  /** The ranking row's condition: its lane and non-default task settings. */
  condition: string;
  missing_rate: number | null;
}

/** One sentence per suite and metric naming the lanes whose missing rate exceeds MISSING_RATE_WARNING (none when no lane does). */
export function describeMissingData(rows: readonly MissingDataRow[]): string[] {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    if (r.missing_rate === null || !(r.missing_rate > MISSING_RATE_WARNING)) continue;
    const group = `${r.suite} · ${r.metric}`;
    groups.set(group, [...(groups.get(group) ?? []), `${r.condition} (${(r.missing_rate * 100).toFixed(1)}% missing)`]);
  }
  return [...groups].map(([group, lanes]) =>
    `On ${group}, ${lanes.length === 1 ? 'lane' : 'lanes'} ${lanes.join(', ')} ${lanes.length === 1 ? 'lacks' : 'lack'} more than ${MISSING_RATE_WARNING * 100}% of ` +
    'attempted steps to infrastructure failures (rate limits, timeouts, server, network and other errors not charged to the model): ' +
    'the comparison may be biased; ' +
    "'audition run --resume RUN_ID --suite …' sends them again.");
}
