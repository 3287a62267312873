import type { Evaluation } from '../../../core/record.ts';
import { isClosedBook } from '../../suites/types.ts';
import { coverage, creditEvidence, isCorrect, witness, unionTokens } from './metrics.ts';
import type { Citation, ParsedAnswer } from './parseAnswer.ts';
import { checkQuote, type PreparedMcq } from './prepare.ts';

/** The evidence in an answer's citations. */
export interface AnswerEvidence {
  /** Token sets of verified passage quotes; PRO card citations are the claim, not evidence, and never count. */
  quotes: ReadonlySet<string>[];
  unverified: number;
  /** Whether the first citation is the chosen option's PRO card; null when that card was not shown. */
  cardFirst: boolean | null;
}

export interface Judgement {
  status: 'ok' | 'abstain';
  evaluation: Evaluation;
  cardFirst: boolean | null;
}

/** Sorts an answer's citations into PRO cards, verified quotes and unverified quotes. */
export function readEvidence(p: PreparedMcq, answer: string | null, citations: readonly Citation[]): AnswerEvidence {
  const quotes: ReadonlySet<string>[] = [];
  let unverified = 0;
  let cardFirst: boolean | null = null;
  citations.forEach((citation, i) => {
    const check = checkQuote(p, citation.source, citation.quote);
    if (i === 0 && answer !== null && p.shownCards.has(answer)) cardFirst = check.card === answer;
    if (check.evidence !== null) quotes.push(check.evidence);
    else if (check.card === null) unverified++;
  });
  if (cardFirst === null && answer !== null && p.shownCards.has(answer)) cardFirst = false;
  return { quotes, unverified, cardFirst };
}

/** A closed-book item has nothing to cite, so its evidence metrics are unknown (null), never failed (false). */
const NO_PASSAGES = 'no evidence passages: scored on the answer alone';

function abstention(reasons: string[], closedBook: boolean): Evaluation {
  return { correct: false, score: 0, citations_evidence: { coverage: null, witness_pass: null, credited: closedBook ? null : false, reasons: closedBook ? [NO_PASSAGES, ...reasons] : reasons } };
}

/**
 * Scores a parsed answer. IDK is an abstention. Under strict evidence an
 * answer with a hard-evidence failure (no verified passage quote, or a first
 * citation that is not its shown PRO card) is an abstention too. Otherwise:
 * correct, and the evidence metrics over the verified quotes. A closed-book
 * item (no passages) is scored on correct alone, its evidence metrics null.
 */
export function judgeAnswer(p: PreparedMcq, parsed: ParsedAnswer, settings: { tau: number; strict_evidence: boolean }): Judgement {
  const closedBook = isClosedBook(p.item);
  if (parsed.answer === null) return { status: 'abstain', evaluation: abstention(['abstained'], closedBook), cardFirst: null };
  if (closedBook) {
    const correct = isCorrect(parsed.answer, p.item.answer);
    return { status: 'ok', evaluation: { correct, score: correct ? 1 : 0, citations_evidence: { coverage: null, witness_pass: null, credited: null, reasons: [NO_PASSAGES] } }, cardFirst: null };
  }
  const evidence = readEvidence(p, parsed.answer, parsed.citations);
  if (settings.strict_evidence) {
    const failures: string[] = [];
    if (evidence.quotes.length === 0) failures.push(`hard-evidence failure: no verified passage quote${evidence.unverified > 0 ? ` (${evidence.unverified} not in the passages)` : ''}`);
    if (evidence.cardFirst === false) failures.push(`hard-evidence failure: the first citation is not the PRO card of ${parsed.answer}`);
    if (failures.length > 0) return { status: 'abstain', evaluation: abstention(failures, false), cardFirst: evidence.cardFirst };
  }
  const gold = p.item.answer;
  const credit = creditEvidence({ answer: parsed.answer, gold, options: p.options, quotes: evidence.quotes, tau: settings.tau, unverified: evidence.unverified });
  const correct = isCorrect(parsed.answer, gold);
  return { status: 'ok', evaluation: { correct, score: correct ? 1 : 0, citations_evidence: credit }, cardFirst: evidence.cardFirst };
}

/**
 * Best-of selection score, computed without the gold answer: how well an
 * answer's verified quotes support its own option (coverage of that option,
 * plus 1 when they witness it over every other option). IDK scores -1, so
 * any answer beats an abstention.
 */
export function supportScore(p: PreparedMcq, parsed: ParsedAnswer): number {
  if (parsed.answer === null) return -1;
  const quotes = unionTokens(readEvidence(p, parsed.answer, parsed.citations).quotes);
  const own = p.options.find((o) => o.key === parsed.answer);
  if (own === undefined) return 0;
  return coverage(quotes, own.tokens) + (witness(quotes, p.options, parsed.answer).pass ? 1 : 0);
}
