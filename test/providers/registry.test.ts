import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROVIDERS } from '../../core/lane.ts';
import { closeProviders, createProvider } from '../../pipelines/providers/index.ts';
import { makeLane } from './kit.ts';

const test = suite('createProvider');

test('gives every provider an adapter of that name', async () => {
  const env: NodeJS.ProcessEnv = {};
  for (const provider of PROVIDERS) {
    const adapter = await createProvider(makeLane({ provider, model: 'm' }), env);
    assert.is(adapter.name, provider);
  }
  await closeProviders(env);
});

test('shares one adapter among the lanes of a provider, per environment', async () => {
  const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-test-registry-000000' };
  const first = await createProvider(makeLane({ provider: 'openai', model: 'gpt-4o' }), env);
  const second = await createProvider(makeLane({ provider: 'openai', model: 'gpt-5', dials: { reasoning_effort: 'low' } }), env);
  assert.is(first, second);
  const other = await createProvider(makeLane({ provider: 'openai', model: 'gpt-4o' }), {});
  assert.is.not(first, other);
  await closeProviders(env);
  const fresh = await createProvider(makeLane({ provider: 'openai', model: 'gpt-4o' }), env);
  assert.is.not(fresh, first, 'closed adapters are forgotten');
  await closeProviders(env);
});

test.run();
