import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureProCard, learn, retrieveSnippets } from '../../pipelines/tasks/mcq/learn.ts';
import { countWords } from '../../pipelines/tasks/mcq/tokens.ts';
import { ternItem } from './fixtures.ts';

const card = suite('ensureProCard');

card('keeps a given card, clips one over 15 words, slices one from the option text when missing', () => {
  const [a, b, c] = ternItem().options.map(ensureProCard);
  assert.equal(a, { option: 'A', text: 'report cites 2,860 pairs of marsh tern', origin: 'given' });
  assert.equal(b, { option: 'B', text: '3,142 breeding pairs', origin: 'sliced' });
  assert.is(c.origin, 'clipped');
  assert.is(c.text.split(' ').length, 15);
  assert.ok(c.text.endsWith('fifteen'));
  const long = ensureProCard({ key: 'X', text: Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ') });
  assert.is(long.text, Array.from({ length: 15 }, (_, i) => `w${i}`).join(' '));
});

/** Whether a card is the start of its source (spaces collapsed) and ends where a word of the source ends. */
function endsAtWordBoundary(card: string, source: string): boolean {
  const normalized = source.replace(/\s+/g, ' ').trim();
  return normalized.startsWith(card) && !/^[\p{L}\p{N}]/u.test(normalized.slice(card.length)) && !/^[.,'’][\p{L}\p{N}]/u.test(normalized.slice(card.length));
}

card('a card sliced from a long option has 15 words and ends where a word ends, also in text without spaces', () => {
  const sources = [
    'The well-known Osaka weaver Chie Tanaka, who paid 3,412 yen for a second-hand loom in 1931, later founded the guild',
    'alpha/beta/gamma/delta/epsilon/zeta/eta/theta/iota/kappa/lambda/mu/nu/xi/omicron/pi/rho/sigma/tau',
    'Chie Tanaka was born in Osaka.Chie was the eldest of five children.She moved to Kyoto in 1931.',
    'It wasn\'t 3.14 but 2.718 that the U.S. committee chose in their 1931 meeting at the Nishijin weaving hall, they said',
    'polytetrafluoroethylene-coated-electrodes-and-hydrochlorofluorocarbon-refrigerants-were-compared-across-twelve-laboratories-in-nineteen-countries-over-eight-years',
  ];
  for (const text of sources) {
    const c = ensureProCard({ key: 'A', text });
    assert.is(c.origin, 'sliced');
    assert.is(countWords(c.text), 15, c.text);
    assert.ok(endsAtWordBoundary(c.text, text), `${JSON.stringify(c.text)} cuts a word of ${JSON.stringify(text)}`);
  }
  assert.is(ensureProCard({ key: 'A', text: sources[1] }).text, 'alpha/beta/gamma/delta/epsilon/zeta/eta/theta/iota/kappa/lambda/mu/nu/xi/omicron');
  assert.is(ensureProCard({ key: 'A', text: sources[2] }).text, 'Chie Tanaka was born in Osaka.Chie was the eldest of five children.She moved to Kyoto');
  const japanese = '東京大学で勉強した後、京都の西陣で織物を学び、一九三一年に組合を設立し、その後も長く活動を続けました';
  const cut = ensureProCard({ key: 'A', text: japanese }).text;
  assert.ok(japanese.startsWith(cut) && cut.length < japanese.length && countWords(cut) === 15, 'text without spaces is cut at a dictionary word boundary');
});

card('a short option is its own card, unchanged; words are counted without punctuation', () => {
  const text = 'Weld overdyed with indigo (not one dye), as the 2025 analysis found — see p. 4';
  assert.equal(ensureProCard({ key: 'D', text }), { option: 'D', text, origin: 'sliced' });
  assert.is(countWords(text), 15);
  assert.is(countWords("It wasn't 3,412 but 2.718 (U.S. figures) — well-known!"), 9, 'it, wasn\'t, 3,412, but, 2.718, U.S, figures, well, known');
});

const retrieve = suite('retrieveSnippets');

retrieve('ranks passage sentences by shared content tokens per √length, never ones sharing none', () => {
  const snippets = retrieveSnippets(ternItem(), 5);
  assert.equal(snippets.map((s) => s.text), ['The survey counted 3,412 breeding pairs of the marsh tern.', 'Numbers were up from 2,860 pairs in 2022.']);
  assert.ok(snippets.every((s) => s.passage === 'tern-p1'));
});

retrieve('retrieves single sentences from scraped text with no space after a period', () => {
  const item = { ...ternItem(), question: 'Where was Chie Tanaka born?', options: [{ key: 'A', text: 'Osaka' }, { key: 'B', text: 'Kyoto' }], answer: 'A' };
  item.evidence = [{ id: 'bio', text: 'Chie Tanaka was born in Osaka.Chie was the eldest of five children.She moved to Kyoto in 1931 to study weaving.' }];
  assert.equal(retrieveSnippets(item, 3).map((s) => s.text), ['Chie Tanaka was born in Osaka.', 'Chie was the eldest of five children.', 'She moved to Kyoto in 1931 to study weaving.']);
});

const block = suite('learn');

block('cards take the first slots of the budget, snippets (at most max_learn_boosts) fill the rest', () => {
  const item = ternItem();
  const full = learn(item, { cards_budget: 6, max_learn_boosts: 2 });
  assert.equal(full.cards.map((c) => c.option), ['A', 'B', 'C', 'D']);
  assert.is(full.snippets.length, 2);
  assert.is(learn(item, { cards_budget: 6, max_learn_boosts: 1 }).snippets.length, 1);
  assert.is(learn(item, { cards_budget: 5, max_learn_boosts: 2 }).snippets.length, 1);
  const small = learn(item, { cards_budget: 2, max_learn_boosts: 2 });
  assert.equal(small.cards.map((c) => c.option), ['A', 'B']);
  assert.is(small.snippets.length, 0);
  assert.equal(learn(item, { cards_budget: 0, max_learn_boosts: 2 }), { cards: [], snippets: [] });
});

card.run();
retrieve.run();
block.run();
