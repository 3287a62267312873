import { foldOptionKey, indexOptionKeys } from '../../suites/optionKeys.ts';
import { extractJsonObject } from '../extractJson.ts';

/** One citation: where the quote comes from (`card:B`, a passage id, or unknown) and the quoted text. */
export interface Citation {
  source: string | null;
  quote: string;
}

export interface ParsedAnswer {
  ok: true;
  /** The chosen option key, or null for an abstention (IDK). */
  answer: string | null;
  citations: Citation[];
}

export interface ParseFailure {
  ok: false;
  message: string;
}

const ABSTAIN_WORDS: ReadonlySet<string> = new Set(['IDK', "I DON'T KNOW", 'I DO NOT KNOW', 'ABSTAIN', 'UNKNOWN', 'NONE', 'N/A']);
/** "B", "(B)", "B)", "B. text", "Option B" — the key in front. */
const KEY_PREFIX = /^(?:OPTION\s+)?\(?([A-Z0-9]{1,4})\)?(?:[.):\s]|$)/;

function normalizeKey(value: string, keys: ReadonlyMap<string, string>): string | null | undefined {
  const upper = foldOptionKey(value);
  if (ABSTAIN_WORDS.has(upper)) return null;
  const exact = keys.get(upper);
  if (exact !== undefined) return exact;
  const prefixed = KEY_PREFIX.exec(upper);
  return prefixed === null ? undefined : keys.get(prefixed[1]);
}

function readCitations(value: unknown): Citation[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return undefined;
  const citations: Citation[] = [];
  for (const entry of value) {
    if (typeof entry === 'string') {
      if (entry.trim() !== '') citations.push({ source: null, quote: entry });
    } else if (entry !== null && typeof entry === 'object') {
      const e = entry as Record<string, unknown>;
      const quote = typeof e['quote'] === 'string' ? e['quote'] : typeof e['text'] === 'string' ? e['text'] : undefined;
      const source = typeof e['source'] === 'string' ? e['source'] : typeof e['id'] === 'string' ? e['id'] : null;
      if (quote !== undefined && quote.trim() !== '') citations.push({ source, quote });
    }
  }
  return citations;
}

/** Folded option key → key as written in the suite (see foldOptionKey), built once per item. */
export function keyLookup(keys: readonly string[]): Map<string, string> {
  return indexOptionKeys(keys);
}

/**
 * Parses a model's MCQ answer: a JSON object `{"answer": KEY | "IDK", "citations": [{source, quote}]}`,
 * found even inside code fences or prose. Anything else is a failure with a
 * message, never an exception.
 */
export function parseAnswer(text: string, keys: ReadonlyMap<string, string>): ParsedAnswer | ParseFailure {
  const object = extractJsonObject(text);
  if (object === undefined) return { ok: false, message: text.trim() === '' ? 'empty answer' : 'no JSON object in the answer' };
  const raw = 'answer' in object ? object['answer'] : object['choice'];
  let answer: string | null | undefined;
  if (raw === null) answer = null;
  else if (typeof raw === 'string') answer = normalizeKey(raw, keys);
  else return { ok: false, message: raw === undefined ? 'the JSON has no "answer"' : `"answer" is ${typeof raw}, not a string` };
  if (answer === undefined) return { ok: false, message: `answer ${JSON.stringify(raw)} is not one of ${[...keys.values()].join(', ')} or IDK` };
  const citations = readCitations(object['citations'] ?? object['quotes']);
  if (citations === undefined) return { ok: false, message: '"citations" is not a list' };
  return { ok: true, answer, citations };
}
