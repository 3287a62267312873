import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ensureProCard, learn, retrieveSnippets } from '../../pipelines/tasks/mcq/learn.ts';
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
