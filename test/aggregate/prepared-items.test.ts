// The fast paths the statistics take over many lanes (items prepared once on shared ids, runs indexed in
// stretches, clusters numbered once) must give exactly what the one-off paths give.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { indexOutcomes, type ItemOutcome, type ItemTotals } from '../../analysis/outcomes.ts';
import { compareItems, createItemIds, prepareItems } from '../../analysis/pairs.ts';
import { clusteredMeanInterval, clusteredMeanIntervalOf } from '../../analysis/stats/index.ts';

function totals(rows: readonly [string, string, number, number][]): ItemTotals {
  return new Map(rows.map(([item, cluster, total, attempts]) => [item, { cluster, total, attempts }]));
}

const a = totals([['x1', 'k1', 2, 3], ['x2', 'k1', 1, 3], ['x3', 'k2', 3, 3], ['x4', 'k2', 0, 3], ['x5', 'k3', 2, 3], ['x6', 'k3', 1, 3]]);
const b = totals([['x6', 'k3', 0, 3], ['x2', 'k1', 2, 3], ['x1', 'k1', 1, 3], ['x4', 'k2', 1, 3], ['x5', 'k3', 3, 3], ['only-b', 'k8', 0, 3]]);
// c measures items neither a nor b has, so preparing it after them grows the shared ids.
const c = totals([['x1', 'k1', 3, 3], ['new-1', 'k9', 1, 3], ['x3', 'k2', 2, 3], ['new-2', 'k9', 2, 3], ['x5', 'k3', 0, 3]]);

const compare = suite('compareItems');

compare('items prepared once on shared ids compare exactly as the raw totals do, in either order of preparation', () => {
  const ids = createItemIds();
  const [pa, pb] = [prepareItems(a, ids), prepareItems(b, ids)];
  const pc = prepareItems(c, ids);
  for (const [x, y, px, py] of [[a, b, pa, pb], [b, a, pb, pa], [a, c, pa, pc], [c, a, pc, pa], [b, c, pb, pc], [c, b, pc, pb]] as const) {
    assert.equal(compareItems(px, py, false), compareItems(x, y, false));
    assert.equal(compareItems(px, y, true), compareItems(x, y, true), 'one side raw, the other prepared');
  }
});

compare('refuses items prepared on different ids', () => {
  assert.throws(() => compareItems(prepareItems(a), prepareItems(b), false), /same ItemIds/);
});

const index = suite('indexOutcomes');

index('keeps each run\'s outcomes in their order, whether runs come in stretches or interleaved', () => {
  const o = (runId: string, item: string): ItemOutcome => ({ runId, item, cluster: null, attempts: 1, total: 1 });
  const outcomes = [o('r1', 'q1'), o('r1', 'q2'), o('r2', 'q1'), o('r1', 'q3'), o('r2', 'q2'), o('r2', 'q3'), o('r3', 'q1')];
  const byRun = indexOutcomes(outcomes);
  assert.equal([...byRun.keys()], ['r1', 'r2', 'r3']);
  assert.equal(byRun.get('r1')?.map((x) => x.item), ['q1', 'q2', 'q3']);
  assert.equal(byRun.get('r2')?.map((x) => x.item), ['q1', 'q2', 'q3']);
  assert.equal(byRun.get('r3')?.map((x) => x.item), ['q1']);
  assert.equal(indexOutcomes([]).size, 0);
});

const clustered = suite('clusteredMeanIntervalOf');

clustered('over numbered clusters, the first n values, gives clusteredMeanInterval exactly', () => {
  const values = [0.25, 1, 0, 0.5, 0.75, 1, 0.125, 0];
  const names = ['b', 'a', 'b', 'c', 'a', 'd', 'c', 'b'];
  const ids = names.map((name) => 'bacd'.indexOf(name));
  const expected = clusteredMeanInterval(values.map((value, i) => ({ value, cluster: names[i] })), 0.9);
  assert.equal(clusteredMeanIntervalOf(Float64Array.from([...values, 99]), Int32Array.from([...ids, 3]), values.length, 4, 0.9), expected);
});

compare.run();
index.run();
clustered.run();
