import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { tCdf, tQuantile } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

const tCdfSuite = suite('tCdf');

// [t, df, scipy.stats.t.cdf(t, df)]: df = 1 (Cauchy) and 2, non-integer df, far tails, and df up to 1e6.
const CDF_CASES: [number, number, number][] = [
  [-3, 1, 0.10241638234956672],
  [12.706204736174705, 1, 0.975],
  [-1e10, 1, 3.183098861837907e-11],
  [2.5, 2, 0.9351941398892446],
  [-0.5, 3, 0.3257239824240755],
  [2.5, 3, 0.9561466764959672],
  [-40, 5, 9.205981085886477e-8],
  [0.1, 4.5, 0.5376779661846572],
  [1.5, 7, 0.911350756505015],
  [-2.045229642132703, 29, 0.024999999999999984],
  [-8, 30, 3.1329112378503795e-9],
  [1.96, 1000, 0.9748634075221256],
  [1.96, 1e5, 0.9750007184028492],
  [-6, 1e5, 9.899647278008859e-10],
  [3, 1e6, 0.9986500687292891],
  [-50, 100, 7.236081839880732e-73],
];

tCdfSuite('matches scipy.stats.t.cdf, tails included', () => {
  // Relative error grows like |ln P| · ε in far tails (the x^a prefactor), hence 3e-14 rather than 1e-15.
  for (const [t, df, expected] of CDF_CASES) assertClose(tCdf(t, df), expected, 3e-14, 0, `t=${t} df=${df}`);
});

tCdfSuite('is ½ at 0, 0 and 1 at the infinities, symmetric', () => {
  assert.is(tCdf(0, 3), 0.5);
  assert.is(tCdf(Number.NEGATIVE_INFINITY, 2), 0);
  assert.is(tCdf(Number.POSITIVE_INFINITY, 2), 1);
  assertClose(tCdf(1.3, 6) + tCdf(-1.3, 6), 1, 1e-15);
});

tCdfSuite('is NaN for NaN t or unusable df', () => {
  for (const df of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.ok(Number.isNaN(tCdf(1, df)), `df=${df}`);
  assert.ok(Number.isNaN(tCdf(Number.NaN, 3)));
});

tCdfSuite.run();

const tQuantileSuite = suite('tQuantile');

// [p, df, scipy.stats.t.ppf(p, df)]
const QUANTILE_CASES: [number, number, number][] = [
  [0.975, 1, 12.706204736174694],
  [1e-12, 1, -318309886183.7907],
  [0.975, 2, 4.302652729749462],
  [0.001, 2, -22.327124770119873],
  [0.975, 3, 3.1824463052837078],
  [1e-10, 3, -2225.769284683093],
  [0.6, 4, 0.2707222947075976],
  [0.995, 4.5, 4.272823993011293],
  [0.999, 10, 4.143700494046589],
  [0.025, 29, -2.045229642132704],
  [0.975, 100, 1.9839715185235518],
  [0.975, 1e5, 1.9599877075346095],
  [0.9999999, 0.5, 10284911573990.447],
  [1e-200, 5, -1.568392559099338e40],
];

tQuantileSuite('matches scipy.stats.t.ppf, including df = 1, df < 1 and extreme p', () => {
  for (const [p, df, expected] of QUANTILE_CASES) assertClose(tQuantile(p, df), expected, 1e-14, 0, `p=${p} df=${df}`);
});

tQuantileSuite('keeps relative accuracy next to the centre', () => {
  // scipy's t.ppf(0.5000001, 7) = 2.5974602739221524e-7 is off by 1.4e-10 here; the reference is mpmath:
  // findroot(lambda t: betainc(0.5, 3.5, 0, t*t/(7+t*t), regularized=True)/2 - (mpf(0.5000001) - 0.5), 2.6e-7)
  assertClose(tQuantile(0.5000001, 7), 2.5974602742784954875e-7, 1e-14);
  // df = 1: mpmath tan(pi*(mpf(0.5000001) - 0.5)); scipy's t.ppf gives 3.141592653301412e-07 (off by 4e-10).
  assertClose(tQuantile(0.5000001, 1), 3.1415926519363009281e-7, 1e-15);
});

tQuantileSuite('inverts tCdf', () => {
  for (const df of [1.5, 3, 8, 50]) {
    for (const p of [0.001, 0.2, 0.7, 0.99]) assertClose(tCdf(tQuantile(p, df), df), p, 1e-14, 0, `p=${p} df=${df}`);
  }
});

tQuantileSuite('is 0 at ½, infinite at 0 and 1, NaN outside', () => {
  assert.is(tQuantile(0.5, 4), 0);
  assert.is(tQuantile(0, 4), Number.NEGATIVE_INFINITY);
  assert.is(tQuantile(1, 4), Number.POSITIVE_INFINITY);
  for (const [p, df] of [[-0.1, 3], [1.1, 3], [0.5, 0], [0.3, Number.NaN]]) assert.ok(Number.isNaN(tQuantile(p, df)));
});

tQuantileSuite.run();
