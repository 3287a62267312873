import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Dials, Lane } from '../../core/lane.ts';
import { checkLane } from '../../pipelines/lanes/rules.ts';
import { parseLane } from '../../pipelines/lanes/parse.ts';
import { InputError } from '../../lib/errors.ts';

function lane(provider: Lane['provider'], model: string, dials: Dials, extra: Partial<Lane> = {}): Lane {
  return { slug: 'test', alias: 'test', provider, model, dials, active: true, visible: true, ...extra };
}
const ruleIds = (l: Lane): string[] => checkLane(l).map((v) => v.rule);

const rules = suite('checkLane');

rules('OpenAI reasoning models reject temperature and take reasoning_effort', () => {
  assert.ok(ruleIds(lane('openai', 'gpt-5', { temperature: 0.7 })).includes('backend.temperature'));
  assert.ok(ruleIds(lane('openai', 'o3', { temperature: 1 })).includes('backend.temperature'));
  assert.ok(ruleIds(lane('openai', 'o4-mini', { top_p: 0.9 })).includes('backend.top_p'));
  assert.equal(ruleIds(lane('openai', 'gpt-5', { reasoning_effort: 'minimal' })), []);
  assert.equal(ruleIds(lane('openai', 'o3', { reasoning_effort: 'high' })), []);
  assert.ok(ruleIds(lane('openai', 'o3', { reasoning_effort: 'minimal' })).includes('openai.reasoning.effort'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { reasoning_effort: 'low' })).includes('backend.reasoning_effort'));
  assert.equal(ruleIds(lane('openai', 'gpt-4o', { temperature: 1.1 })), []);
});

rules('Anthropic temperature is 0..1', () => {
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { temperature: 1.2, max_output_tokens: 100 })).includes('anthropic.temperature-range'));
  assert.equal(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { temperature: 1, max_output_tokens: 100 })), []);
});

rules('Anthropic extended thinking: no temperature but 1, no top_k, budget ≥ 1024 and below max tokens', () => {
  const base = { thinking: true, thinking_budget_tokens: 28000, max_output_tokens: 36000 };
  assert.equal(ruleIds(lane('anthropic', 'claude-sonnet-4-5', base)), []);
  assert.equal(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...base, temperature: 1 })), []);
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...base, temperature: 0.7 })).includes('anthropic.thinking.temperature'));
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...base, top_k: 5 })).includes('anthropic.thinking.no-top-k'));
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { thinking: true, max_output_tokens: 36000 })).includes('anthropic.thinking.budget'));
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...base, thinking_budget_tokens: 512 })).includes('anthropic.thinking.budget'));
  assert.ok(ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...base, thinking_budget_tokens: 36000 })).includes('anthropic.thinking.budget'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { thinking: true })).includes('backend.thinking'));
});

rules('min_p, repetition_penalty and top_k only where the backend accepts them', () => {
  const dials = { min_p: 0.05, repetition_penalty: 1.1, top_k: 40 };
  assert.equal(ruleIds(lane('ollama', 'llama3', dials)), []);
  assert.equal(ruleIds(lane('openai-compatible', 'hermes', dials, { backend: 'openrouter' })), []);
  assert.equal(ruleIds(lane('openai-compatible', 'qwen', dials, { backend: 'vllm', base_url: 'http://127.0.0.1:8000/v1' })), []);
  assert.equal(ruleIds(lane('openai', 'gpt-4o', dials)), ['backend.top_k', 'backend.min_p', 'backend.repetition_penalty']);
  assert.equal(ruleIds(lane('openai-compatible', 'deepseek-chat', dials, { backend: 'deepseek' })), ['backend.top_k', 'backend.min_p', 'backend.repetition_penalty']);
  assert.equal(ruleIds(lane('anthropic', 'claude-opus-4-1', { ...dials, max_output_tokens: 10 })), ['backend.min_p', 'backend.repetition_penalty']);
});

rules('dials no API of the lane takes are refused, not dropped: penalties and seed on Anthropic, seed on OpenAI reasoning models', () => {
  const claude = (dials: Dials): string[] => ruleIds(lane('anthropic', 'claude-sonnet-4-5', { ...dials, max_output_tokens: 100 }));
  assert.equal(claude({ frequency_penalty: 0.2 }), ['backend.frequency_penalty']);
  assert.equal(claude({ presence_penalty: 0.2 }), ['backend.presence_penalty']);
  assert.equal(claude({ seed: 7 }), ['backend.seed']);
  assert.equal(ruleIds(lane('openai', 'o3', { seed: 7, reasoning_effort: 'low' })), ['backend.seed']);
  assert.equal(ruleIds(lane('openai', 'gpt-4o', { seed: 7 })), []);
});

rules('penalties and top_p in range', () => {
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { top_p: 1.2 })).includes('range.top-p'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { top_p: 0 })).includes('range.top-p'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { frequency_penalty: 2.5 })).includes('range.frequency-penalty'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { presence_penalty: -3 })).includes('range.presence-penalty'));
  assert.ok(ruleIds(lane('ollama', 'x', { repetition_penalty: 0 })).includes('range.repetition-penalty'));
  assert.ok(ruleIds(lane('ollama', 'x', { min_p: 1.5 })).includes('range.min-p'));
  assert.ok(ruleIds(lane('openai', 'gpt-4o', { temperature: 2.1 })).includes('range.temperature'));
});

const parse = suite('parseLane');

parse('builds the slug and names lane, field and rule on failure', () => {
  const ok = parseLane({ alias: 'gpt5', provider: 'openai', model: 'gpt-5', dials: { reasoning_effort: 'minimal' } }, { file: 'roster.yaml', field: 'lanes[0]' });
  assert.is(ok.slug, 'gpt5.reason-min');
  try {
    parseLane({ alias: 'gpt5', provider: 'openai', model: 'gpt-5', dials: { reasoning_effort: 'minimal', temperature: 0.2 } }, { file: 'roster.yaml', field: 'lanes[0]' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, InputError);
    const e = error as InputError;
    assert.is(e.where.field, 'lanes[0].dials.temperature');
    assert.match(e.message, /lane gpt5\.t0-2\.reason-min/);
    assert.match(e.message, /temperature breaks rule backend\.temperature: temperature is not taken by OpenAI o-series and gpt-5 reasoning models: remove temperature from this gpt-5 lane \(they take reasoning_effort/);
  }
});

parse('catches a dial put at the top level and an unknown dial', () => {
  assert.throws(() => parseLane({ alias: 'a', provider: 'sim', model: 'm', temperature: 0.2 }, {}), (e: Error) => e instanceof InputError && /put temperature under "dials"/.test(e.hint ?? ''));
  assert.throws(() => parseLane({ alias: 'a', provider: 'sim', model: 'm', dials: { temprature: 0.2 } }, {}), /dials\.temprature: is not a dial/);
});

parse('refuses an explicit slug that disagrees with the dials', () => {
  assert.throws(() => parseLane({ slug: '4o.t0-7', alias: '4o', provider: 'openai', model: 'gpt-4o', dials: { temperature: 1 } }, {}), /does not match the dials, which give "4o\.t1-0"/);
});

parse('never accepts a key in place of an environment variable name', () => {
  assert.throws(() => parseLane({ alias: 'a', provider: 'openai', model: 'gpt-4o', api_key_env: 'sk-abc123' }, {}), /NAME of an environment variable/);
});

rules.run();
parse.run();
