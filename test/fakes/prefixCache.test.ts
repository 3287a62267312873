import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chainPrefixes, PrefixCache } from './prefixCache.ts';

const parts = (...tokens: number[]) => tokens.map((count, i) => ({ content: `part ${i}`, tokens: count }));

test('PrefixCache writes on first sight and reads on repeat within the TTL', () => {
  const time = { now: 0 };
  const cache = new PrefixCache({ ttlMs: 100, minTokens: 10 }, () => time.now);
  const prefixes = chainPrefixes('m', parts(20, 5));
  assert.equal(cache.use(prefixes, prefixes.slice(-1)), { readTokens: 0, writeTokens: 25 });
  time.now = 90;
  assert.equal(cache.use(prefixes, prefixes.slice(-1)), { readTokens: 25, writeTokens: 0 });
  // The read refreshed the TTL, so t=180 is still within 100 ms of the last use.
  time.now = 180;
  assert.equal(cache.use(prefixes, prefixes.slice(-1)), { readTokens: 25, writeTokens: 0 });
  time.now = 281;
  assert.equal(cache.use(prefixes, prefixes.slice(-1)), { readTokens: 0, writeTokens: 25 });
});

test('PrefixCache reads the longest live prefix and writes only the rest', () => {
  const cache = new PrefixCache({ ttlMs: 1000, minTokens: 10 }, () => 0);
  const short = chainPrefixes('m', parts(20));
  cache.use(short, short);
  const long = chainPrefixes('m', parts(20, 30, 40));
  assert.equal(cache.use(long, long.slice(-1)), { readTokens: 20, writeTokens: 70 });
  assert.equal(cache.use(long, long.slice(-1)), { readTokens: 90, writeTokens: 0 });
});

test('PrefixCache ignores prefixes under minTokens', () => {
  const cache = new PrefixCache({ ttlMs: 1000, minTokens: 50 }, () => 0);
  const prefixes = chainPrefixes('m', parts(20));
  assert.equal(cache.use(prefixes, prefixes), { readTokens: 0, writeTokens: 0 });
  assert.equal(cache.use(prefixes, prefixes), { readTokens: 0, writeTokens: 0 });
});

test('chainPrefixes keys depend on every earlier part and the scope', () => {
  const a = chainPrefixes('m', [{ content: 'x', tokens: 1 }, { content: 'y', tokens: 1 }]);
  const b = chainPrefixes('m', [{ content: 'z', tokens: 1 }, { content: 'y', tokens: 1 }]);
  const c = chainPrefixes('other', [{ content: 'x', tokens: 1 }]);
  assert.is.not(a[1].key, b[1].key);
  assert.is.not(a[0].key, c[0].key);
  assert.equal(a.map((prefix) => prefix.tokens), [1, 2]);
});


test('with writeDelayMs, a prefix is readable only after its writer’s prefill', () => {
  let now = 1000;
  const cache = new PrefixCache({ ttlMs: 10_000, minTokens: 10, writeDelayMs: 50 }, () => now);
  const prefix = [{ key: 'p', tokens: 100 }];
  assert.is(cache.use(prefix, prefix).readTokens, 0);
  now += 10;
  assert.is(cache.use(prefix, prefix).readTokens, 0, 'a concurrent sibling misses');
  now += 50;
  assert.is(cache.use(prefix, prefix).readTokens, 100, 'after the prefill it hits');
});

test.run();
