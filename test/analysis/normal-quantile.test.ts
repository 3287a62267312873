import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalQuantile } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

// [p, scipy.special.ndtri(p)], covering all three AS 241 regions (|p − ½| ≤ .425, r ≤ 5, r > 5) and their edges.
const CASES: [number, number][] = [
  [1e-300, -37.0470962993612],
  [1e-100, -21.273453560965322],
  [1e-20, -9.262340089798409],
  [1e-10, -6.361340902404056],
  [1e-5, -4.264890793922825],
  [0.001, -3.090232306167813],
  [0.025, -1.9599639845400545],
  [0.07, -1.4757910281791706],
  [0.075, -1.4395314709384563],
  [0.08, -1.4050715603096329],
  [0.25, -0.6744897501960817],
  [0.4, -0.2533471031357997],
  [0.6, 0.2533471031357997],
  [0.8, 0.8416212335729143],
  [0.925, 1.4395314709384563],
  [0.975, 1.959963984540054],
  [0.999, 3.090232306167813],
  [1 - 1e-10, 6.361340889697422],
];

test('normalQuantile matches scipy.special.ndtri to full double accuracy', () => {
  // Both sides are within ~2 ulp of the truth (mpmath: sqrt(2)*erfinv(2p−1)), so they may differ by up to ~4 ulp.
  for (const [p, expected] of CASES) assertClose(normalQuantile(p), expected, 1e-15, 0, `p=${p}`);
});

test('normalQuantile is exactly 0 at ½ and antisymmetric', () => {
  assert.is(normalQuantile(0.5), 0);
  for (const p of [0.001, 0.1, 0.25, 0.4]) assert.is(normalQuantile(1 - p), -normalQuantile(p));
});

test('normalQuantile is infinite at 0 and 1 and NaN outside [0, 1]', () => {
  assert.is(normalQuantile(0), Number.NEGATIVE_INFINITY);
  assert.is(normalQuantile(1), Number.POSITIVE_INFINITY);
  for (const p of [-0.1, 1.5, Number.NaN]) assert.ok(Number.isNaN(normalQuantile(p)));
});

test.run();
