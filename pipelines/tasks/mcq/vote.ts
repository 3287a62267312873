/** A sample's vote: an option key, null for an abstention (IDK), undefined for a sample that could not be parsed. */
export type Vote = string | null | undefined;

/** The key abstentions are counted under. */
export const IDK = 'IDK';

export interface VoteResult {
  /** The chosen option, null to abstain, undefined when no sample could be parsed. */
  winner: string | null | undefined;
  /** Votes per option key (and IDK), unparsed samples excluded. */
  counts: Record<string, number>;
  /** True when the top count was shared and the tie rule decided. */
  tied: boolean;
}

/**
 * Self-consistency majority vote. Tie rule: the most votes wins; unparsed
 * samples do not vote; an abstention (IDK) loses every tie with an option (an
 * answer is preferred); among tied options the one voted for first, in sample
 * order, wins.
 */
export function majorityVote(votes: readonly Vote[]): VoteResult {
  const counts: Record<string, number> = {};
  const order: string[] = [];
  for (const vote of votes) {
    if (vote === undefined) continue;
    const key = vote ?? IDK;
    if (counts[key] === undefined) {
      counts[key] = 0;
      order.push(key);
    }
    counts[key]++;
  }
  if (order.length === 0) return { winner: undefined, counts, tied: false };
  const top = Math.max(...order.map((k) => counts[k]));
  const leaders = order.filter((k) => counts[k] === top);
  const options = leaders.filter((k) => k !== IDK);
  const winner = options.length > 0 ? options[0] : null;
  return { winner, counts, tied: leaders.length > 1 };
}

/**
 * Best-of-N selection: the index of the highest score; undefined scores
 * (unparsed samples) never win; ties go to the earliest sample. -1 when none
 * has a score.
 */
export function pickBest(scores: readonly (number | undefined)[]): number {
  let best = -1;
  scores.forEach((score, i) => {
    if (score !== undefined && (best < 0 || score > (scores[best] as number))) best = i;
  });
  return best;
}
