import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { PROVIDERS } from '../../core/lane.ts';
import { ProviderPool } from '../../pipelines/providers/providerPool.ts';
import { makeLane } from './kit.ts';

const test = suite('ProviderPool');

test('gives every provider an adapter of that name', async () => {
  const pool = new ProviderPool({});
  try {
    for (const provider of PROVIDERS) {
      const adapter = await pool.adapterFor(makeLane({ provider, model: 'm' }));
      assert.is(adapter.name, provider);
    }
  } finally {
    await pool.close();
  }
});

test('shares one adapter among the lanes of a provider, per pool', async () => {
  const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: 'sk-test-registry-000000' };
  const pool = new ProviderPool(env);
  const other = new ProviderPool(env);
  try {
    const first = await pool.adapterFor(makeLane({ provider: 'openai', model: 'gpt-4o' }));
    const second = await pool.adapterFor(makeLane({ provider: 'openai', model: 'gpt-5', dials: { reasoning_effort: 'low' } }));
    assert.is(first, second);
    assert.is.not(await other.adapterFor(makeLane({ provider: 'openai', model: 'gpt-4o' })), first, 'another pool has adapters of its own');
    await pool.close();
    const fresh = await pool.adapterFor(makeLane({ provider: 'openai', model: 'gpt-4o' }));
    assert.is.not(fresh, first, 'closed adapters are forgotten');
  } finally {
    await pool.close();
    await other.close();
  }
});

test.run();
