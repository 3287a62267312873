import type { CitationsEvidence } from '../../../core/record.ts';

/**
 * Evidence metrics for MCQ answers. All are pure functions of token sets made
 * by `contentTokens` (tokens.ts): NFKC lower-cased runs of letters/digits,
 * thousands separators dropped, stopwords removed.
 */

/** τ: the least coverage a credited answer's quotes must reach. */
export const DEFAULT_TAU = 0.5;

export interface OptionTokens {
  key: string;
  tokens: ReadonlySet<string>;
}

/** correct: the chosen option is the gold one (an abstention, null, is never correct). */
export function isCorrect(answer: string | null, gold: string): boolean {
  return answer !== null && answer === gold;
}

/** The union of several token sets (the quotes of one answer). */
export function unionTokens(sets: readonly ReadonlySet<string>[]): Set<string> {
  const union = new Set<string>();
  for (const set of sets) for (const t of set) union.add(t);
  return union;
}

/**
 * coverage = |option ∩ quotes| / |option|: the share of the option's distinct
 * content tokens that appear in the cited quotes. 0 for an option without tokens.
 */
export function coverage(quoteTokens: ReadonlySet<string>, optionTokens: ReadonlySet<string>): number {
  if (optionTokens.size === 0) return 0;
  let hits = 0;
  for (const t of optionTokens) if (quoteTokens.has(t)) hits++;
  return hits / optionTokens.size;
}

export interface Witness {
  pass: boolean;
  /** The gold option's support (its coverage by the quotes). */
  gold: number;
  /** The best-supported other option (first in option order on a tie), or null with one option. */
  rival: { key: string; support: number } | null;
}

/**
 * witness_pass: the quotes support the gold option strictly more than any
 * other option, where an option's support is its coverage by the quotes, and
 * the gold support is above 0.
 */
export function witness(quoteTokens: ReadonlySet<string>, options: readonly OptionTokens[], gold: string): Witness {
  let goldSupport = 0;
  let rival: { key: string; support: number } | null = null;
  for (const option of options) {
    const support = coverage(quoteTokens, option.tokens);
    if (option.key === gold) goldSupport = support;
    else if (rival === null || support > rival.support) rival = { key: option.key, support };
  }
  return { pass: goldSupport > 0 && (rival === null || goldSupport > rival.support), gold: goldSupport, rival };
}

export interface CreditInput {
  /** The chosen option key. */
  answer: string;
  gold: string;
  options: readonly OptionTokens[];
  /** Token sets of the verified evidence quotes (PRO cards and quotes not found in the passages excluded). */
  quotes: readonly ReadonlySet<string>[];
  tau: number;
  /** How many cited quotes were dropped because they are not in the passages (explains "no citations"). */
  unverified?: number;
}

const fmt = (x: number): string => (Math.round(x * 100) / 100).toString();

/**
 * credited = correct ∧ has citations ∧ coverage ≥ τ ∧ witness_pass, with one
 * reason for each condition that fails.
 */
export function creditEvidence(input: CreditInput): CitationsEvidence {
  const reasons: string[] = [];
  const correct = isCorrect(input.answer, input.gold);
  if (!correct) reasons.push(`wrong answer: chose ${input.answer}, gold is ${input.gold}`);
  const hasCitations = input.quotes.length > 0;
  if (!hasCitations) {
    const dropped = input.unverified ?? 0;
    reasons.push(dropped > 0 ? `no citations: ${dropped} cited quote${dropped === 1 ? ' is' : 's are'} not in the passages` : 'no citations');
  }
  const quoteTokens = unionTokens(input.quotes);
  const goldOption = input.options.find((o) => o.key === input.gold);
  const cov = goldOption === undefined ? 0 : coverage(quoteTokens, goldOption.tokens);
  if (cov < input.tau) reasons.push(`coverage ${fmt(cov)} < τ ${fmt(input.tau)}`);
  const w = witness(quoteTokens, input.options, input.gold);
  if (!w.pass) {
    reasons.push(
      w.rival !== null && w.gold > 0
        ? `witness failed: the quotes support ${w.rival.key} (${fmt(w.rival.support)}) at least as much as gold ${input.gold} (${fmt(w.gold)})`
        : `witness failed: the quotes do not support gold ${input.gold}`,
    );
  }
  return { coverage: cov, witness_pass: w.pass, credited: correct && hasCitations && cov >= input.tau && w.pass, reasons };
}
