import type { PromptItem, Rubric } from '../../suites/types.ts';
import { splitSentences } from '../mcq/sentences.ts';
import { coverage } from '../mcq/metrics.ts';
import { contentTokens } from '../mcq/tokens.ts';
import {
  MALFORMED_GRADE_RATE, MALFORMED_RATE, criterionBias, graderNoise, hashString, noteKeepProbability, sampleSeed, simLane, uniform, type SimLane,
} from '../sim/model.ts';
import { SimulatedRequests } from '../sim/requests.ts';

/** What one generate request asks: the case, and which attempt of which replicate. */
export interface GenerateHint {
  item: PromptItem;
  replicate: number;
  /** The attempt within the step (a retry after an unusable note). */
  sample: number;
  seed?: number;
}

/** What one grade request asks: the note, the rubric, who wrote the note, and which attempt. */
export interface GradeHint {
  item: PromptItem;
  rubric: Rubric;
  note: string;
  generatorLane: string;
  reasoning: boolean;
  replicate: number;
  sample: number;
  seed?: number;
}

/** A note: each context sentence kept with the lane's keep probability (at least one); 1% of attempts come back empty. */
export function writeNote(lane: SimLane, hint: GenerateHint, runSeed: number): string {
  const seed = sampleSeed(lane.hash, hashString(hint.item.id), hint.replicate, hint.sample, runSeed);
  if (uniform(seed, 0) < MALFORMED_RATE) return '';
  const keep = noteKeepProbability(lane, hint.item.id);
  const sentences = splitSentences(hint.item.context);
  const kept = sentences.filter((_, i) => uniform(seed, 10 + i) < keep);
  return (kept.length > 0 ? kept : sentences.slice(0, 1)).join(' ');
}

/** An approximately standard normal draw (Irwin–Hall of 3 uniforms, rescaled to variance 1). */
function normal(seed: number, k: number): number {
  return (uniform(seed, k) + uniform(seed, k + 1) + uniform(seed, k + 2) - 1.5) * 2;
}

/**
 * A grade: the note's quality Q is the share of the context's content tokens
 * it contains; each criterion scores round(max · (Q + bias + noise·N(0,1)))
 * clamped to 0…max. 3% of replies miss a criterion or the JSON.
 */
export function gradeNote(lane: SimLane, hint: GradeHint, runSeed: number, contextTokens: ReadonlySet<string> = contentTokens(hint.item.context)): string {
  const quality = coverage(contentTokens(hint.note), contextTokens);
  const seed = sampleSeed(lane.hash, hashString(`${hint.item.id}|${hint.generatorLane}|${hint.rubric.author}|${hashString(hint.note)}`), hint.replicate, hint.sample, runSeed);
  const noise = graderNoise(lane, hint.reasoning);
  const scores: Record<string, number> = {};
  hint.rubric.criteria.forEach((c, i) => {
    const fraction = quality + criterionBias(c.id) + noise * normal(seed, 10 + 3 * i);
    scores[c.id] = Math.min(c.max, Math.max(0, Math.round(c.max * fraction)));
  });
  const u = uniform(seed, 0);
  if (u < MALFORMED_GRADE_RATE / 2) return 'The answer is reasonable overall; I would give it a good mark.';
  if (u < MALFORMED_GRADE_RATE) delete scores[hint.rubric.criteria[hint.rubric.criteria.length - 1].id];
  const json = JSON.stringify({ scores });
  if (!hint.reasoning) return json;
  return `Reasoning: the answer uses about ${Math.round(quality * 100)}% of the facts in the material; each criterion is scored against that.\n\n${json}`;
}

/** The generate task's Simulator. */
export function createGenerateSimulator(): SimulatedRequests<GenerateHint> {
  return new SimulatedRequests<GenerateHint>((lane, hint, runSeed) => writeNote(simLane(lane), hint, runSeed));
}

/** The grade task's Simulator; a case's content tokens are counted once. */
export function createGradeSimulator(): SimulatedRequests<GradeHint> {
  const contextTokens = new WeakMap<PromptItem, Set<string>>();
  return new SimulatedRequests<GradeHint>((lane, hint, runSeed) => {
    let context = contextTokens.get(hint.item);
    if (context === undefined) contextTokens.set(hint.item, (context = contentTokens(hint.item.context)));
    return gradeNote(simLane(lane), hint, runSeed, context);
  });
}
