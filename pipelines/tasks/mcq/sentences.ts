/**
 * Sentence splitting for passages, including scraped text: a sentence ends at
 * `.`, `!`, `?` or `…` (with any closing quotes or brackets) that is followed
 * by space and a capital, digit or opening quote, or, with no space at all, by
 * a capitalised word after a lower-case letter or digit ("…Chie.Chie was…").
 * CJK full stops (。！？) always end one, and so does a blank line. A period
 * does not end a sentence inside a number (3.14), a URL or an email address,
 * after initials before a word (U.S. Army, J. Smith, e.g.), after a title or
 * Latin abbreviation (Dr., vs., et al.), or after Fig./No./Jan. before a
 * number. Where a period is ambiguous ("…in the U.S. The…", "…feeder B. Supply…")
 * the text stays one sentence: a long snippet misleads less than half a sentence.
 */

const TERMINATOR = /[.!?…。！？]+["'”’»)\]]*/gu;
const CJK_STOP = /[。！？]/u;
const SINGLE_PERIOD = /^\.(?![.…])/u;
const SENTENCE_START = /[\p{Lu}\p{Lt}\p{N}"“‘'«(\[¿¡]/u;
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const BEFORE_GLUED = /[\p{Ll}\p{N}"'”’)\]]/u;
const WORD_BEFORE = /[\p{L}\p{N}.]+$/u;
const INITIALS = /^(?:\p{L}\.)*\p{L}$/u;
const PARAGRAPH_BREAK = /\n[ \t]*\r?\n/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/giu;
/** Domains are written in lower case, so "name@example.org.Then" keeps "Then" out of the address. */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{Ll}\p{N}-]+(?:\.[\p{Ll}\p{N}-]+)+/gu;
const TRAILING_PUNCTUATION = /[.,;:!?)\]"'”’]+$/u;

/** Titles and Latin abbreviations that never end a sentence (lower case, without the period). */
const NEVER_FINAL: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'rev', 'hon', 'gen', 'col', 'capt', 'lt', 'sgt', 'sen', 'gov', 'st', 'mt', 'ft',
  'eg', 'ie', 'cf', 'viz', 'vs', 'al', 'approx', 'ca',
]);
/** Abbreviations that do not end a sentence before a number ("Fig. 3", "No. 5", "Jan. 12"). */
const BEFORE_NUMBER: ReadonlySet<string> = new Set([
  'no', 'nos', 'nr', 'vol', 'vols', 'p', 'pp', 'fig', 'figs', 'ch', 'sec', 'art', 'eq', 'ref',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);

/** Character ranges of URLs and email addresses, whose periods end nothing. */
function protectedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const pattern of [URL, EMAIL]) {
    for (const m of text.matchAll(pattern)) {
      const kept = m[0].replace(TRAILING_PUNCTUATION, '');
      spans.push([m.index, m.index + kept.length]);
    }
  }
  return spans;
}

/** Whether the period at `start` follows initials or an abbreviation that keeps the sentence going before `next`. */
function isAbbreviation(text: string, start: number, next: string): boolean {
  const word = WORD_BEFORE.exec(text.slice(Math.max(0, start - 24), start))?.[0];
  if (word === undefined) return false;
  const beforeNumber = /^\p{N}/u.test(next);
  if (INITIALS.test(word)) return !beforeNumber;
  const key = word.slice(word.lastIndexOf('.') + 1).toLowerCase();
  return NEVER_FINAL.has(key) || (BEFORE_NUMBER.has(key) && beforeNumber);
}

/** Whether the terminator text[start, end) ends a sentence. */
function endsSentence(text: string, start: number, end: number): boolean {
  const terminator = text.slice(start, end);
  if (CJK_STOP.test(terminator)) return true;
  const rest = text.slice(end);
  const next = rest.trimStart();
  if (next === '') return false;
  const spaced = next.length < rest.length;
  if (spaced ? !SENTENCE_START.test(next[0]) : !(CAPITALISED.test(next) && BEFORE_GLUED.test(text[start - 1] ?? ''))) return false;
  return !(SINGLE_PERIOD.test(terminator) && isAbbreviation(text, start, next));
}

/** Splits a passage into sentences (see the rules above), trimmed, none empty. */
export function splitSentences(text: string): string[] {
  const spans = protectedSpans(text);
  const cuts: number[] = [];
  for (const m of text.matchAll(TERMINATOR)) {
    const end = m.index + m[0].length;
    if (spans.some(([from, to]) => m.index >= from && m.index < to)) continue;
    if (endsSentence(text, m.index, end)) cuts.push(end);
  }
  for (const m of text.matchAll(PARAGRAPH_BREAK)) cuts.push(m.index);
  cuts.sort((a, b) => a - b);
  const sentences: string[] = [];
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    const sentence = text.slice(from, cut).trim();
    if (sentence !== '') sentences.push(sentence);
    from = Math.max(from, cut);
  }
  return sentences;
}
