import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildSlug, parseSlug } from '../../pipelines/lanes/slug.ts';

const build = suite('buildSlug');

build('builds the slugs people already use', () => {
  assert.is(buildSlug('4o', { temperature: 0.7 }), '4o.t0-7');
  assert.is(buildSlug('kimi', { temperature: 0.75, top_p: 0.95, frequency_penalty: 0.2 }), 'kimi.t0-75.tp0-95.fp0-2');
  assert.is(buildSlug('hermes', { temperature: 1.3, min_p: 0.1, top_p: 0.88, repetition_penalty: 1.2 }), 'hermes.t1-3.min0-10.tp0-88.rp1-20');
  assert.is(buildSlug('hermes', { temperature: 1.1, min_p: 0.08, top_p: 0.92, repetition_penalty: 1.15 }), 'hermes.t1-1.min0-08.tp0-92.rp1-15');
  assert.is(buildSlug('gpt5', { reasoning_effort: 'minimal', max_output_tokens: 36000 }), 'gpt5.reason-min');
  assert.is(buildSlug('sonnet', { temperature: 1, thinking: true, thinking_budget_tokens: 28000 }), 'sonnet.t1-0.ext');
});

build('orders tokens canonically whatever the input order', () => {
  assert.is(buildSlug('x', { repetition_penalty: 1.1, top_k: 40, temperature: 0.5 }), 'x.t0-5.tk40.rp1-10');
});

build('writes negative penalties with an n', () => {
  assert.is(buildSlug('x', { frequency_penalty: -0.5 }), 'x.fpn0-5');
});

build('rejects an alias with a dot', () => {
  assert.throws(() => buildSlug('gpt.5', {}), /alias/);
});

const parse = suite('parseSlug');

parse('parses every token back', () => {
  assert.equal(parseSlug('hermes.t1-3.min0-10.tp0-88.rp1-20'), { alias: 'hermes', dials: { temperature: 1.3, min_p: 0.1, top_p: 0.88, repetition_penalty: 1.2 } });
  assert.equal(parseSlug('gpt5.reason-min'), { alias: 'gpt5', dials: { reasoning_effort: 'minimal' } });
  assert.equal(parseSlug('sonnet.t1-0.ext'), { alias: 'sonnet', dials: { temperature: 1, thinking: true } });
  assert.equal(parseSlug('x.fpn0-5.tk40'), { alias: 'x', dials: { frequency_penalty: -0.5, top_k: 40 } });
});

parse('round-trips build → parse → build', () => {
  const cases = [
    { temperature: 0.9, top_p: 0.9, frequency_penalty: 0.5, presence_penalty: 0.3, repetition_penalty: 1.1 },
    { temperature: 1.7, min_p: 0.15, top_p: 0.82, repetition_penalty: 1.3, presence_penalty: 0.3 },
    { reasoning_effort: 'high' as const },
    { temperature: 0.05, top_k: 1 },
  ];
  for (const dials of cases) {
    const slug = buildSlug('m', dials);
    assert.is(buildSlug('m', parseSlug(slug).dials), slug);
    assert.equal(parseSlug(slug).dials, dials);
  }
});

parse('names the token it cannot read', () => {
  assert.throws(() => parseSlug('4o.temp0-7'), /unknown token "temp0-7"/);
  assert.throws(() => parseSlug('4o.t0-7.t0-8'), /temperature appears twice/);
});

build.run();
parse.run();
