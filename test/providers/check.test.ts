import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ProviderAdapter } from '../../core/chat.ts';
import { createAdapter as createAnthropic } from '../../pipelines/providers/anthropic.ts';
import { createAdapter as createOllama } from '../../pipelines/providers/ollama.ts';
import { createAdapter as createOpenAI } from '../../pipelines/providers/openai.ts';
import { createAdapter as createCompatible } from '../../pipelines/providers/openaiCompatible.ts';
import { createAdapter as createSim } from '../../pipelines/providers/sim.ts';
import { ASK, makeLane, sendError } from './kit.ts';

const KEY = 'sk-check-test-0123456789';

/** The ProviderError check throws, or null when the lane may send. */
function checkError(adapter: ProviderAdapter, lane: Lane): ProviderError | null {
  try {
    adapter.check(lane);
    return null;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
}

const check = suite('ProviderAdapter.check');

check('a required key variable that is unset or blank: auth, naming the variable, the lane and the fix', () => {
  const cases: [ProviderAdapter, Lane, RegExp][] = [
    [createOpenAI({}), makeLane({ provider: 'openai', model: 'gpt-4o' }), /^OPENAI_API_KEY is not set: the openai lane openai\.test needs an API key in it \(nothing was sent\); set OPENAI_API_KEY, or name the variable that holds the key in the lane's api_key_env$/],
    [createOpenAI({ OPENAI_API_KEY: '  ' }), makeLane({ provider: 'openai', model: 'gpt-4o' }), /^OPENAI_API_KEY is not set/],
    [createOpenAI({ OPENAI_API_KEY: KEY }), makeLane({ provider: 'openai', model: 'gpt-4o', api_key_env: 'TEAM_OPENAI_KEY' }), /^TEAM_OPENAI_KEY is not set: .*; set TEAM_OPENAI_KEY$/],
    [createAnthropic({}), makeLane({ provider: 'anthropic', model: 'claude-sonnet-4-6' }), /^ANTHROPIC_API_KEY is not set: the anthropic lane/],
    [createCompatible({}), makeLane({ provider: 'openai-compatible', backend: 'deepseek', model: 'deepseek-chat' }), /^DEEPSEEK_API_KEY is not set: the openai-compatible\/deepseek lane/],
    [createOllama({}), makeLane({ provider: 'ollama', model: 'llama3.2', api_key_env: 'OLLAMA_PROXY_KEY' }), /^OLLAMA_PROXY_KEY is not set: the ollama lane/],
  ];
  for (const [adapter, lane, message] of cases) {
    const error = checkError(adapter, lane);
    assert.is(error?.kind, 'auth', `${lane.provider}: ${error?.message}`);
    assert.match(error?.message ?? '', message);
  }
});

check('endpoints that take no key pass without one', () => {
  assert.is(checkError(createCompatible({}), makeLane({ provider: 'openai-compatible', backend: 'vllm', model: 'm', base_url: 'http://127.0.0.1:8000/v1' })), null);
  assert.is(checkError(createOllama({}), makeLane({ provider: 'ollama', model: 'llama3.2' })), null);
  assert.is(checkError(createSim({}, {}), makeLane({ provider: 'sim', model: 'sim-strong' })), null);
  assert.is(checkError(createOpenAI({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: ' ' }), makeLane({ provider: 'openai', model: 'gpt-4o' })), null, 'a blank OPENAI_BASE_URL is unset: the default');
});

check('a base URL that is not http(s): invalid_request, naming where it came from', () => {
  const openai = createOpenAI({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: 'api.example.com/v1' });
  const fromLane = checkError(openai, makeLane({ provider: 'openai', model: 'gpt-4o', base_url: 'ftp://127.0.0.1/v1' }));
  assert.is(fromLane?.kind, 'invalid_request');
  assert.match(fromLane?.message ?? '', /^the base_url of lane openai\.test is "ftp:\/\/127\.0\.0\.1\/v1", not an http\(s\) URL \(nothing was sent\); set it to the server's address/);
  assert.match(checkError(openai, makeLane({ provider: 'openai', model: 'gpt-4o' }))?.message ?? '', /^OPENAI_BASE_URL \(lane openai\.test sets no base_url\) is "api\.example\.com\/v1", not an http\(s\) URL/);
  assert.match(checkError(createOllama({ OLLAMA_HOST: 'http://[bad' }), makeLane({ provider: 'ollama', model: 'llama3.2' }))?.message ?? '', /^OLLAMA_HOST \(lane ollama\.test sets no base_url\) is "http:\/\/\[bad", not an http\(s\) URL/);
  assert.match(checkError(createAnthropic({ ANTHROPIC_API_KEY: KEY }), makeLane({ provider: 'anthropic', model: 'claude-sonnet-4-6', base_url: 'not a url' }))?.message ?? '', /^the base_url of lane anthropic\.test is "not a url"/);
  assert.is(checkError(createOpenAI({ OPENAI_API_KEY: KEY }), makeLane({ provider: 'openai', model: 'gpt-4o', base_url: 'https://gateway.example.com/openai/v1' })), null);
});

check('says what a send would: the same error for a missing key, before anything is sent', async () => {
  const adapter = createOpenAI({});
  const lane = makeLane({ provider: 'openai', model: 'gpt-4o', base_url: 'http://127.0.0.1:9/v1' });
  const checked = checkError(adapter, lane);
  const sent = await sendError(adapter, lane, ASK);
  assert.equal([sent.kind, sent.message], [checked?.kind, checked?.message]);
});

check.run();
