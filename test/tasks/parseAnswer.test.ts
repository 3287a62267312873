import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { extractJsonObject } from '../../pipelines/tasks/extractJson.ts';
import { keyLookup, parseAnswer } from '../../pipelines/tasks/mcq/parseAnswer.ts';

const KEYS = keyLookup(['A', 'B', 'C', 'D']);
const JSON_ANSWER = '{"answer": "B", "citations": [{"source": "card:B", "quote": "two"}, {"source": "p1", "quote": "There are two."}]}';

const parse = suite('parseAnswer');

parse('reads a strict JSON answer', () => {
  assert.equal(parseAnswer(JSON_ANSWER, KEYS), { ok: true, answer: 'B', citations: [{ source: 'card:B', quote: 'two' }, { source: 'p1', quote: 'There are two.' }] });
});

parse('finds the JSON in a code fence or in prose', () => {
  assert.equal(parseAnswer('```json\n' + JSON_ANSWER + '\n```', KEYS), parseAnswer(JSON_ANSWER, KEYS));
  assert.equal(parseAnswer(`Sure! Here it is: ${JSON_ANSWER} Hope that helps {not json}.`, KEYS), parseAnswer(JSON_ANSWER, KEYS));
  assert.equal(parseAnswer('I think {so}. Final: {"answer": "C"}', KEYS), { ok: true, answer: 'C', citations: [] });
});

parse('accepts key spellings: lower case, (B), "B. text", "Option B"', () => {
  for (const answer of ['b', '(B)', 'B. two', 'Option B', 'B)']) assert.is((parseAnswer(JSON.stringify({ answer }), KEYS) as { answer: string }).answer, 'B', answer);
});

parse('IDK, null and their spellings are abstentions', () => {
  for (const answer of ['IDK', 'idk', "I don't know", 'abstain', null]) assert.equal(parseAnswer(JSON.stringify({ answer, citations: [] }), KEYS), { ok: true, answer: null, citations: [] });
});

parse('citations may be plain strings; entries without a quote are dropped', () => {
  const r = parseAnswer('{"answer":"A","citations":["There are two.", {"source":"p1"}, {"id":"p2","text":"one"}, 7]}', KEYS);
  assert.equal(r, { ok: true, answer: 'A', citations: [{ source: null, quote: 'There are two.' }, { source: 'p2', quote: 'one' }] });
});

parse('what cannot be parsed is a failure with a message, never an exception', () => {
  const cases: [string, RegExp][] = [
    ['The answer is B.', /no JSON object/],
    ['', /empty answer/],
    ['{"answer": "B", "citations": [{"source": "card:B", "quo', /no JSON object/],
    ['{"answer": "E"}', /answer "E" is not one of A, B, C, D or IDK/],
    ['{"choice": 2}', /"answer" is number/],
    ['{"citations": []}', /has no "answer"/],
    ['{"answer": "A", "citations": "p1"}', /"citations" is not a list/],
  ];
  for (const [text, message] of cases) {
    const r = parseAnswer(text, KEYS);
    assert.is(r.ok, false, text);
    assert.match((r as { message: string }).message, message);
  }
});

parse('survives random garbage', () => {
  let seed = 42;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = '{}[]":,ABab \\\n`IDK0123';
  for (let i = 0; i < 2000; i++) {
    const text = Array.from({ length: Math.floor(next() * 40) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const r = parseAnswer(text, KEYS);
    assert.type(r.ok, 'boolean');
  }
});

const extract = suite('extractJsonObject');

extract('returns the first balanced object that parses, ignoring braces inside strings', () => {
  assert.equal(extractJsonObject('x {"a": "}{"} y {"b": 1}'), { a: '}{' });
  assert.is(extractJsonObject('[1, 2]'), undefined);
  assert.is(extractJsonObject('{"a": 1'), undefined);
});

parse.run();
extract.run();
