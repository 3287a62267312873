import type { Rubric } from '../../suites/types.ts';
import { extractJsonObject } from '../extractJson.ts';

export type GradeParse = { ok: true; scores: Record<string, number> } | { ok: false; message: string };

/**
 * Reads a grader's reply into one score per rubric criterion: a JSON object
 * `{"scores": {criterion_id: n}}` (or the criteria at top level), found even
 * after reasoning prose or in a code fence. Every criterion must have a
 * number in 0…max (numeric strings accepted); extra keys are ignored.
 */
export function parseGrade(text: string, rubric: Rubric): GradeParse {
  const object = extractJsonObject(text);
  if (object === undefined) return { ok: false, message: text.trim() === '' ? 'empty grade' : 'no JSON object in the grade' };
  const nested = object['scores'];
  const source = nested !== null && typeof nested === 'object' && !Array.isArray(nested) ? (nested as Record<string, unknown>) : object;
  const scores: Record<string, number> = {};
  for (const criterion of rubric.criteria) {
    const raw = source[criterion.id];
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (raw === undefined || raw === null) return { ok: false, message: `no score for criterion ${criterion.id}` };
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: `the score for ${criterion.id} is not a number: ${JSON.stringify(raw)}` };
    if (value < 0 || value > criterion.max) return { ok: false, message: `the score ${value} for ${criterion.id} is outside 0–${criterion.max}` };
    scores[criterion.id] = value;
  }
  return { ok: true, scores };
}

/** The grade as one number in 0…1: the sum of the scores over the sum of the maxima. */
export function gradeFraction(scores: Readonly<Record<string, number>>, rubric: Rubric): number {
  let total = 0;
  let max = 0;
  for (const c of rubric.criteria) {
    total += scores[c.id] ?? 0;
    max += c.max;
  }
  return max === 0 ? 0 : total / max;
}
