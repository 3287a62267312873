import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatRequest, ProviderAdapter } from '../../core/chat.ts';
import { DIAL_FIELDS, DIAL_TARGETS, dialTargetOf, type DialTarget } from '../../core/dialFields.ts';
import { DIAL_NAMES, type DialName, type Dials, type Lane } from '../../core/lane.ts';
import { checkLane } from '../../pipelines/lanes/rules.ts';
import { createAdapter as createAnthropic } from '../../pipelines/providers/anthropic.ts';
import { createAdapter as createOllama } from '../../pipelines/providers/ollama.ts';
import { createAdapter as createOpenAI } from '../../pipelines/providers/openai.ts';
import { createAdapter as createCompatible } from '../../pipelines/providers/openaiCompatible.ts';
import { createAdapter as createSim } from '../../pipelines/providers/sim.ts';

const openai = createOpenAI({});
const compatible = createCompatible({});
const compatibleLane = (backend: Lane['backend'], model: string, baseUrl?: string): Omit<Lane, 'dials'> =>
  ({ slug: 'x', alias: 'x', provider: 'openai-compatible', backend, model, active: true, visible: true, ...(baseUrl === undefined ? {} : { base_url: baseUrl }) });

/** A lane of every target, and the adapter that sends it. */
const TARGETS: Record<DialTarget, { lane: Omit<Lane, 'dials'>; adapter: ProviderAdapter }> = {
  openai: { lane: { slug: 'x', alias: 'x', provider: 'openai', model: 'gpt-4o', active: true, visible: true }, adapter: openai },
  'openai-reasoning': { lane: { slug: 'x', alias: 'x', provider: 'openai', model: 'gpt-5', active: true, visible: true }, adapter: openai },
  deepseek: { lane: compatibleLane('deepseek', 'deepseek-chat'), adapter: compatible },
  moonshot: { lane: compatibleLane('moonshot', 'kimi-k2'), adapter: compatible },
  openrouter: { lane: compatibleLane('openrouter', 'nousresearch/hermes-4-405b'), adapter: compatible },
  vllm: { lane: compatibleLane('vllm', 'qwen', 'http://127.0.0.1:8000/v1'), adapter: compatible },
  together: { lane: compatibleLane('together', 'meta-llama/Llama-3-70b'), adapter: compatible },
  generic: { lane: compatibleLane('generic', 'local', 'http://127.0.0.1:9000/v1'), adapter: compatible },
  anthropic: { lane: { slug: 'x', alias: 'x', provider: 'anthropic', model: 'claude-sonnet-4-5', active: true, visible: true }, adapter: createAnthropic({}) },
  ollama: { lane: { slug: 'x', alias: 'x', provider: 'ollama', model: 'llama3', active: true, visible: true }, adapter: createOllama({}) },
  sim: { lane: { slug: 'x', alias: 'x', provider: 'sim', model: 'sim-strong', active: true, visible: true }, adapter: createSim({}, {}) },
};

/** A valid value of every dial, and the dials it needs beside it. */
const VALUES: Required<Dials> = {
  temperature: 0.5, top_p: 0.97, top_k: 40, min_p: 0.05, frequency_penalty: 0.3, presence_penalty: 0.2, repetition_penalty: 1.1,
  reasoning_effort: 'low', thinking: true, thinking_budget_tokens: 2048, max_output_tokens: 4096, seed: 42,
};
const BESIDE: Partial<Record<DialName, Dials>> = { thinking: { thinking_budget_tokens: 2048 }, thinking_budget_tokens: { thinking: true } };
/** A request with its own per-step seed, which a lane's seed dial must win over. */
const REQUEST: ChatRequest = { messages: [{ role: 'user', content: 'What is 2+2?' }], seed: 12345 };
/** sim.ts builds its body apart from putDials and lets the per-step seed win; it is only checked to send one until it uses putDials. */
function valueAt(body: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), body);
}

const fields = suite('DIAL_FIELDS');

fields('every target has a lane here that resolves to it', () => {
  for (const target of DIAL_TARGETS) assert.is(dialTargetOf(TARGETS[target].lane), target);
});

fields('for every target and dial, the lane rules refuse the dial or the adapter sends it under the table’s field: nothing is dropped', () => {
  for (const target of DIAL_TARGETS) {
    for (const dial of DIAL_NAMES) {
      const where = `${target} ${dial}`;
      const lane: Lane = { ...TARGETS[target].lane, dials: { max_output_tokens: VALUES.max_output_tokens, ...BESIDE[dial], [dial]: VALUES[dial] } };
      const field = DIAL_FIELDS[target].fields[dial];
      const violations = checkLane(lane);
      if (field === null) {
        assert.ok(violations.some((v) => v.rule === `backend.${dial}` && v.field === dial), `${where}: the rules must refuse it`);
        continue;
      }
      assert.equal(violations, [], `${where}: the rules must accept it`);
      const { body } = TARGETS[target].adapter.buildRequest(lane, REQUEST);
      const path = typeof field === 'string' ? field : field.path;
      const expected = typeof field === 'string' ? VALUES[dial] : field.whenOn;
      assert.equal(valueAt(body, path), expected, `${where}: sent as ${path}`);
    }
  }
});

fields('a request’s per-step seed is sent where the target takes a seed and the lane sets none', () => {
  for (const target of DIAL_TARGETS) {
    const lane: Lane = { ...TARGETS[target].lane, dials: { max_output_tokens: VALUES.max_output_tokens } };
    const field = DIAL_FIELDS[target].fields.seed;
    const { body } = TARGETS[target].adapter.buildRequest(lane, REQUEST);
    if (typeof field === 'string') assert.is(valueAt(body, field), REQUEST.seed, target);
    else assert.not.ok(JSON.stringify(body).includes(String(REQUEST.seed)), `${target} sends no seed`);
  }
});

fields.run();
