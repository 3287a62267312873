import type { Dials, Lane } from '../../../core/lane.ts';

/**
 * The ground-truth model of the offline `sim` provider, as pure functions
 * (docs/sim.md writes it out): how a simulated model of known skill answers,
 * whatever the task. Each task's simulator (mcq/simulate.ts,
 * graded/simulate.ts) draws its replies from these probabilities; tests
 * compare what a run estimates with what they say is true.
 */

/** A session step's context: its size and whether an earlier turn on the item's cluster is still in it. */
export interface SessionView {
  turn: number;
  contextTokens: number;
  relatedInContext: boolean;
}

/** Skill on the logit scale by sim model id; `sim-skill-<x>` sets it directly. sim-coin knows nothing (it guesses). */
export const SIM_SKILLS: Readonly<Record<string, number>> = { 'sim-strong': 2, 'sim-medium': 1, 'sim-weak': 0, 'sim-coin': -Infinity };
const SKILL_MODEL = /^sim-skill-(-?\d+(?:\.\d+)?)$/;

/** The probability that a sample's text is malformed (unparseable), so the parse-error path runs. */
export const MALFORMED_RATE = 0.01;
/** The probability that a grade reply misses a criterion or its JSON (retried up to --max-attempts). */
export const MALFORMED_GRADE_RATE = 0.03;
/** Temperature where sampling noise is least; the provider default when a lane sets none. */
export const SWEET_TEMPERATURE = 0.7;
export const DEFAULT_TEMPERATURE = 1.0;
/** Share of a non-good citation that cites no passage at all (only the PRO card). */
export const BARE_SHARE = 0.25;
/** Probability that a sample which does not know abstains, when abstaining is allowed. */
export const ABSTAIN_WHEN_UNSURE = 0.5;
const REASONING_BONUS: Record<NonNullable<Dials['reasoning_effort']>, number> = { minimal: 0, low: 0.2, medium: 0.4, high: 0.5 };

/** The skill of a sim model id; throws for an id the sim does not know. */
export function simSkill(model: string): number {
  const named = SIM_SKILLS[model];
  if (named !== undefined) return named;
  const m = SKILL_MODEL.exec(model);
  if (m === null) throw new Error(`unknown sim model ${JSON.stringify(model)}; use sim-strong, sim-medium, sim-weak, sim-coin or sim-skill-<x>`);
  return Number(m[1]);
}

/** FNV-1a over a string, 32 bits. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3 fmix32) that spreads the bits of a combined seed. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of one sample's draws: (lane slug, item id, replicate, sample, run seed). */
export function sampleSeed(laneHash: number, itemHash: number, replicate: number, sample: number, runSeed: number): number {
  let h = mix32(laneHash ^ Math.imul(itemHash, 0x9e3779b1));
  h = mix32(h ^ Math.imul(replicate + 1, 0x85ebca77));
  h = mix32(h ^ Math.imul(sample + 1, 0xc2b2ae3d));
  return mix32(h ^ Math.imul(runSeed + 1, 0x27d4eb2f));
}

/** The k-th uniform draw in [0, 1) from a seed. */
export function uniform(seed: number, k: number): number {
  return mix32(seed ^ Math.imul(k + 1, 0x165667b1)) / 4294967296;
}

/** Item difficulty on the logit scale, uniform in [-1, 1) from a hash of the item id. */
export function itemDifficulty(itemId: string): number {
  return 2 * (mix32(hashString(itemId)) / 4294967296) - 1;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** E(b): the help of b LEARN slots (cards + snippets): saturating, and slightly harmful past 8. */
export function evidenceBoost(slots: number): number {
  return 0.8 * (1 - Math.exp(-slots / 3)) - 0.05 * Math.max(0, slots - 8);
}

/** P(T): sampling noise: quadratic above the sweet spot (damped by min_p and top_p), linear below it. */
export function temperaturePenalty(dials: Dials): number {
  const t = dials.temperature ?? DEFAULT_TEMPERATURE;
  const damp = Math.max(0.2, 1 - 0.6 * Math.min(1, (dials.min_p ?? 0) / 0.1) - 0.5 * Math.min(1, (1 - (dials.top_p ?? 1)) / 0.2));
  return damp * 1.5 * Math.max(0, t - SWEET_TEMPERATURE) ** 2 + 0.3 * Math.max(0, SWEET_TEMPERATURE - t);
}

/** R: reasoning effort and extended thinking. */
export function reasoningBonus(dials: Dials): number {
  return (dials.reasoning_effort === undefined ? 0 : REASONING_BONUS[dials.reasoning_effort]) + (dials.thinking === true ? 0.4 : 0);
}

/** C: context rot in sessions, eased when an earlier turn on the same cluster is still in context. */
export function contextPenalty(session: SessionView | undefined): number {
  return session === undefined ? 0 : (0.6 * session.contextTokens) / 16000 - (session.relatedInContext ? 0.3 : 0);
}

/** Samples at or below this temperature are identical within a step (self-consistency cannot help). */
export function isGreedy(dials: Dials): boolean {
  return (dials.temperature ?? DEFAULT_TEMPERATURE) <= 0.05;
}

/** Per-sample probabilities of one MCQ step for one lane. */
export interface McqSampleModel {
  /** ε: the sample is malformed. */
  malformed: number;
  /** p_know = σ(z): the sample knows the answer and picks gold. */
  know: number;
  /** a: a sample that does not know abstains (when allowed), else guesses uniformly. */
  abstain: number;
  /** q: a knowing sample cites the best quote for its option; a guessing one with q/2. */
  citeGood: number;
  citeGoodGuess: number;
}

/** z = 1.2·(s − d) + E(b) − P(T) + R − C − 1, and the rest of the per-sample model. */
export function mcqSampleModel(dials: Dials, skill: number, difficulty: number, slots: number, allowAbstain: boolean, session?: SessionView): McqSampleModel {
  const noise = temperaturePenalty(dials);
  const z = 1.2 * (skill - difficulty) + evidenceBoost(slots) - noise + reasoningBonus(dials) - contextPenalty(session) - 1;
  const know = skill === -Infinity ? 0 : sigmoid(z);
  const citeGood = skill === -Infinity ? 0 : sigmoid(skill - difficulty - noise - 0.5);
  return { malformed: MALFORMED_RATE, know, abstain: allowAbstain ? ABSTAIN_WHEN_UNSURE : 0, citeGood, citeGoodGuess: citeGood / 2 };
}

export type CitationQuality = 'good' | 'distractor' | 'bare';
export const CITATION_QUALITIES: readonly CitationQuality[] = ['good', 'distractor', 'bare'];

/** One sample's outcome: malformed, an abstention, or an option with a citation quality. */
export type McqDraw = { kind: 'malformed'; variant: number } | { kind: 'idk'; variant: number } | { kind: 'answer'; option: number; quality: CitationQuality; variant: number };

function quality(u: number, good: number): CitationQuality {
  if (u < good) return 'good';
  return u >= 1 - (1 - good) * BARE_SHARE ? 'bare' : 'distractor';
}

/** Draws one sample from the model with uniforms u0…u4 of its seed (the gold option is `gold`, of n options). */
export function drawMcq(model: McqSampleModel, n: number, gold: number, seed: number): McqDraw {
  const variant = uniform(seed, 4);
  if (uniform(seed, 0) < model.malformed) return { kind: 'malformed', variant };
  if (uniform(seed, 1) < model.know) return { kind: 'answer', option: gold, quality: quality(uniform(seed, 3), model.citeGood), variant };
  const u2 = uniform(seed, 2);
  if (u2 < model.abstain) return { kind: 'idk', variant };
  const option = Math.min(n - 1, Math.floor(((u2 - model.abstain) / (1 - model.abstain)) * n));
  return { kind: 'answer', option, quality: quality(uniform(seed, 3), model.citeGoodGuess), variant };
}

/** Exact per-sample category probabilities: malformed, idk, and [option][quality]. */
export function mcqCategoryProbabilities(model: McqSampleModel, n: number, gold: number): { malformed: number; idk: number; answer: number[][] } {
  const live = 1 - model.malformed;
  const q = (c: CitationQuality, good: number): number => (c === 'good' ? good : c === 'bare' ? (1 - good) * BARE_SHARE : (1 - good) * (1 - BARE_SHARE));
  const guess = ((1 - model.know) * (1 - model.abstain)) / n;
  const answer = Array.from({ length: n }, (_, k) => CITATION_QUALITIES.map((c) => live * ((k === gold ? model.know * q(c, model.citeGood) : 0) + guess * q(c, model.citeGoodGuess))));
  return { malformed: model.malformed, idk: live * (1 - model.know) * model.abstain, answer };
}

/** The per-lane part of the model: skill and hash, computed once per lane. */
export interface SimLane {
  skill: number;
  hash: number;
  dials: Dials;
}

/** The skill the sim plays a lane of another provider with (e.g. when `audition estimate` simulates a real lane). */
export const FOREIGN_LANE_SKILL = 1;

/** The sim view of a lane; a sim lane's model id must be one the sim knows. */
export function simLane(lane: Lane): SimLane {
  return { skill: lane.provider === 'sim' ? simSkill(lane.model) : FOREIGN_LANE_SKILL, hash: hashString(lane.slug), dials: lane.dials };
}

/** Generated-note quality target: each context sentence is kept with p = σ(1.2·(s − d) − P(T) + R − 0.5). */
export function noteKeepProbability(lane: SimLane, caseId: string): number {
  return lane.skill === -Infinity ? 0 : sigmoid(1.2 * (lane.skill - itemDifficulty(caseId)) - temperaturePenalty(lane.dials) + reasoningBonus(lane.dials) - 0.5);
}

/** Grader noise (sd of the score fraction): weaker graders are noisier; reasoning halves it. */
export function graderNoise(lane: SimLane, reasoning: boolean): number {
  const skill = lane.skill === -Infinity ? -10 : lane.skill;
  return (0.1 + 0.25 * (1 - sigmoid(skill))) * (reasoning ? 0.5 : 1);
}

/** A criterion's fixed leniency, in [-0.1, 0.1), from a hash of its id. */
export function criterionBias(criterionId: string): number {
  return 0.2 * (mix32(hashString(criterionId)) / 4294967296 - 0.5);
}
