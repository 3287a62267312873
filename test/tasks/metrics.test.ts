import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coverage, creditEvidence, isCorrect, witness, type OptionTokens } from '../../pipelines/tasks/mcq/metrics.ts';
import { contentTokens, normalizeForQuote, tokenize } from '../../pipelines/tasks/mcq/tokens.ts';

// Hand-computed cases. Options of a delta-ecology item:
//   A "2,860 breeding pairs" → {2860, breeding, pairs}
//   B "3,142 breeding pairs" → {3142, breeding, pairs}
//   D "3,412 breeding pairs" → {3412, breeding, pairs}   (gold)
const OPTIONS: OptionTokens[] = [
  { key: 'A', tokens: contentTokens('2,860 breeding pairs') },
  { key: 'B', tokens: contentTokens('3,142 breeding pairs') },
  { key: 'D', tokens: contentTokens('3,412 breeding pairs') },
];
// Whole sentence: {survey, counted, 3412, breeding, pairs, marsh, tern, up, 2860, 2022} — supports A and D fully.
const WIDE = contentTokens('The survey counted 3,412 breeding pairs of the marsh tern, up from 2,860 pairs in 2022.');
// Narrow quote: {counted, 3412, breeding, pairs, marsh, tern} — D 3/3, A 2/3, B 2/3.
const NARROW = contentTokens('counted 3,412 breeding pairs of the marsh tern');

const tokens = suite('tokenize');

tokens('lower-cases, keeps number groups whole without thousands commas, splits on everything else', () => {
  assert.equal(tokenize('Quillstone 4.2.0 — v4.2, “pool.max_idle_seconds” 6.8 ppt; 12,000 users’ data.'), ['quillstone', '4.2.0', 'v4.2', 'pool', 'max', 'idle', 'seconds', '6.8', 'ppt', '12000', 'users', 'data']);
});

tokens('contentTokens drops stopwords but keeps them when nothing else is left', () => {
  assert.equal([...WIDE].sort(), ['2022', '2860', '3412', 'breeding', 'counted', 'marsh', 'pairs', 'survey', 'tern', 'up']);
  assert.equal([...contentTokens('of the')], ['of', 'the']);
});

tokens('normalizeForQuote folds case, curly quotes, dashes and runs of spaces', () => {
  assert.is(normalizeForQuote('  The  “Kesh”\nChannel’s 7:00–9:30 '), 'the "kesh" channel\'s 7:00-9:30');
});

const cov = suite('coverage');

cov('is the share of the option’s content tokens found in the quotes', () => {
  assert.is(coverage(WIDE, OPTIONS[2].tokens), 1);
  assert.is(coverage(NARROW, OPTIONS[0].tokens), 2 / 3);
  assert.is(coverage(contentTokens('breeding season'), OPTIONS[2].tokens), 1 / 3);
  assert.is(coverage(new Set(), OPTIONS[2].tokens), 0);
  assert.is(coverage(WIDE, new Set()), 0);
});

const wit = suite('witness');

wit('passes when the quotes support gold strictly more than every other option', () => {
  assert.equal(witness(NARROW, OPTIONS, 'D'), { pass: true, gold: 1, rival: { key: 'A', support: 2 / 3 } });
});

wit('fails on a tie: the whole sentence supports A (2,860) as much as D (3,412)', () => {
  assert.equal(witness(WIDE, OPTIONS, 'D'), { pass: false, gold: 1, rival: { key: 'A', support: 1 } });
});

wit('fails when the quotes do not touch gold', () => {
  assert.is(witness(contentTokens('the eastern sandbars'), OPTIONS, 'D').pass, false);
});

const correct = suite('isCorrect');

correct('only the gold key is correct; an abstention never is', () => {
  assert.ok(isCorrect('D', 'D'));
  assert.not.ok(isCorrect('A', 'D'));
  assert.not.ok(isCorrect(null, 'D'));
});

const credit = suite('creditEvidence');

credit('credited = correct ∧ has citations ∧ coverage ≥ τ ∧ witness_pass', () => {
  assert.equal(creditEvidence({ answer: 'D', gold: 'D', options: OPTIONS, quotes: [NARROW], tau: 0.5 }), { coverage: 1, witness_pass: true, credited: true, reasons: [] });
});

credit('a wrong answer with good quotes is not credited, and says why', () => {
  assert.equal(creditEvidence({ answer: 'A', gold: 'D', options: OPTIONS, quotes: [NARROW], tau: 0.5 }), { coverage: 1, witness_pass: true, credited: false, reasons: ['wrong answer: chose A, gold is D'] });
});

credit('no verified quotes: every failed condition has a reason', () => {
  const r = creditEvidence({ answer: 'D', gold: 'D', options: OPTIONS, quotes: [], tau: 0.5, unverified: 2 });
  assert.equal(r, { coverage: 0, witness_pass: false, credited: false, reasons: ['no citations: 2 cited quotes are not in the passages', 'coverage 0 < τ 0.5', 'witness failed: the quotes do not support gold D'] });
});

credit('low coverage and a tied witness', () => {
  const r = creditEvidence({ answer: 'D', gold: 'D', options: OPTIONS, quotes: [contentTokens('breeding season')], tau: 0.5 });
  assert.is(r.credited, false);
  assert.equal(r.reasons, ['coverage 0.33 < τ 0.5', 'witness failed: the quotes support A (0.33) at least as much as gold D (0.33)']);
});

credit('coverage equal to τ passes; just above τ fails (quotes are pooled)', () => {
  // "3,412 pairs" → {3412, pairs}: D 2/3, A 1/3, B 1/3
  const quotes = [contentTokens('3,412'), contentTokens('pairs')];
  assert.is(creditEvidence({ answer: 'D', gold: 'D', options: OPTIONS, quotes, tau: 2 / 3 }).credited, true);
  const above = creditEvidence({ answer: 'D', gold: 'D', options: OPTIONS, quotes, tau: 0.7 });
  assert.is(above.credited, false);
  assert.equal(above.reasons, ['coverage 0.67 < τ 0.7']);
});

tokens.run();
cov.run();
wit.run();
correct.run();
credit.run();
