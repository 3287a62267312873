import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { itemMeans } from '../../analysis/stats/index.ts';

test('itemMeans averages replicates per item, in order of first appearance', () => {
  const rows = [
    { item: 'b', value: 1 },
    { item: 'a', value: 0 },
    { item: 'b', value: 0 },
    { item: 'a', value: 1 },
    { item: 'b', value: 1 },
    { item: 'c', value: 0.25 },
  ];
  assert.equal(itemMeans(rows), [
    { item: 'b', cluster: 'b', mean: 2 / 3, n: 3 },
    { item: 'a', cluster: 'a', mean: 0.5, n: 2 },
    { item: 'c', cluster: 'c', mean: 0.25, n: 1 },
  ]);
});

test('itemMeans keeps the named cluster and fills it in from any row', () => {
  const rows = [
    { item: 'x1', cluster: null, value: 1 },
    { item: 'x1', cluster: 'src-7', value: 0 },
    { item: 'x2', cluster: 'src-7', value: 1 },
    { item: 'x3', value: 1 },
  ];
  assert.equal(itemMeans(rows), [
    { item: 'x1', cluster: 'src-7', mean: 0.5, n: 2 },
    { item: 'x2', cluster: 'src-7', mean: 1, n: 1 },
    { item: 'x3', cluster: 'x3', mean: 1, n: 1 },
  ]);
});

test('itemMeans refuses an item placed in two clusters', () => {
  assert.throws(
    () => itemMeans([{ item: 'q', cluster: 'a', value: 1 }, { item: 'q', cluster: 'b', value: 0 }]),
    /item "q" is in two clusters/,
  );
});

test('itemMeans of no rows is empty', () => {
  assert.equal(itemMeans([]), []);
});

test.run();
