import type { PromptItem, Rubric } from '../../suites/types.ts';

/** A case needs accepted rubrics from at least this many different authors. */
export const MIN_RUBRIC_AUTHORS = 2;

export interface Eligibility {
  item: PromptItem;
  /** The latest accepted rubric of each author, in order of first appearance. */
  rubrics: Rubric[];
  eligible: boolean;
  /** Why a case is not eligible. */
  reason?: string;
}

/** Authors are the same person when their names match ignoring case and extra spaces. */
export function authorKey(author: string): string {
  return author.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The rubrics a case is graded with: per author, the accepted rubric with the
 * latest `created_at` (not the last in the file); on equal timestamps the
 * later in the file wins. Draft and rejected rubrics never count.
 */
export function latestAcceptedRubrics(item: PromptItem): Rubric[] {
  const latest = new Map<string, Rubric>();
  for (const rubric of item.rubrics) {
    if (rubric.status !== 'accepted') continue;
    const key = authorKey(rubric.author);
    const current = latest.get(key);
    if (current === undefined || Date.parse(rubric.created_at) >= Date.parse(current.created_at)) latest.set(key, rubric);
  }
  return [...latest.values()];
}

/** Eligibility rule: at least 2 accepted rubrics by different human authors. */
export function checkEligibility(item: PromptItem): Eligibility {
  const rubrics = latestAcceptedRubrics(item);
  if (rubrics.length >= MIN_RUBRIC_AUTHORS) return { item, rubrics, eligible: true };
  const others = item.rubrics.filter((r) => r.status !== 'accepted').map((r) => `${r.status} by ${r.author}`);
  const accepted = rubrics.length === 0 ? 'no accepted rubric' : `accepted rubrics from 1 author (${rubrics[0].author})`;
  return { item, rubrics, eligible: false, reason: `${accepted}; needs ${MIN_RUBRIC_AUTHORS} different authors${others.length > 0 ? ` (also ${others.join(', ')})` : ''}` };
}
