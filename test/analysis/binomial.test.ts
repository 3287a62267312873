import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { binomialCdf, binomialPmf, logBinomialCdf, logBinomialPmf } from '../../analysis/stats/index.ts';
import { assertClose } from './close.ts';

const binomialPmfSuite = suite('binomialPmf');

// [k, n, p, scipy.stats.binom.pmf(k, n, p)]; scipy itself is only good to ~5e-14 at n = 200,000.
const PMF_CASES: [number, number, number, number][] = [
  [7, 10, 0.3, 0.009001691999999992],
  [0, 10, 0.3, 0.0282475249],
  [10, 10, 0.3, 5.9048999999999975e-6],
  [1, 1, 0.5, 0.5],
  [0, 0, 0.3, 1],
  [3, 200000, 1e-5, 0.18044794655672025],
  [100000, 200000, 0.5, 0.0017841218859990207],
  [99000, 200000, 0.5, 8.098955862801319e-8],
  [140500, 200000, 0.7, 9.901970541210645e-5],
  [0, 200000, 1e-5, 0.13533392988152473],
  [200000, 200000, 0.99999, 0.13533392988275655],
];

binomialPmfSuite('matches scipy.stats.binom.pmf up to n = 200,000', () => {
  for (const [k, n, p, expected] of PMF_CASES) assertClose(binomialPmf(k, n, p), expected, 1e-13, 0, `k=${k} n=${n} p=${p}`);
});

binomialPmfSuite('is 0 off the support and at non-integer k; degenerate p', () => {
  assert.is(binomialPmf(-1, 10, 0.3), 0);
  assert.is(binomialPmf(11, 10, 0.3), 0);
  assert.is(binomialPmf(2.5, 10, 0.3), 0);
  assert.is(binomialPmf(0, 10, 0), 1);
  assert.is(binomialPmf(1, 10, 0), 0);
  assert.is(binomialPmf(10, 10, 1), 1);
  assert.is(binomialPmf(9, 10, 1), 0);
  for (const [n, p] of [[-1, 0.5], [2.5, 0.5], [10, 1.5], [10, Number.NaN]]) assert.ok(Number.isNaN(binomialPmf(1, n, p)));
});

binomialPmfSuite.run();

const logBinomialPmfSuite = suite('logBinomialPmf');

logBinomialPmfSuite('stays exact where the pmf underflows', () => {
  // mpmath at 40 digits: log(binomial(n, k)) + k*log(p) + (n-k)*log(1-p). (scipy's binom.logpmf loses ~1e-10 here.)
  assertClose(logBinomialPmf(150000, 200000, 0.7), -1239.037871789728, 1e-15);
  assertClose(logBinomialPmf(0, 200000, 0.5), -138629.43611198906, 1e-15);
  assertClose(logBinomialPmf(100000, 200000, 0.5), -6.3288289254098142919, 1e-15);
  assert.is(logBinomialPmf(11, 10, 0.5), Number.NEGATIVE_INFINITY);
});

logBinomialPmfSuite.run();

const binomialCdfSuite = suite('binomialCdf');

// [k, n, p, scipy.stats.binom.cdf(k, n, p)], lower tails, the centre and upper tails.
const CDF_CASES: [number, number, number, number][] = [
  [5, 20, 0.5, 0.020694732666015625],
  [10, 30, 0.9, 1.1056538323082202e-13],
  [0, 200000, 1e-5, 0.13533392988152468],
  [99000, 200000, 0.5, 3.912164257690504e-6],
  [100000, 200000, 0.5, 0.5008920609429981],
  [100500, 200000, 0.5, 0.9873995046141899],
  [140000, 200000, 0.7, 0.5008435428526283],
  [2.7, 10, 0.4, 0.16728975359999992],
  [3, 10, 0.4, 0.3822806015999999],
];

binomialCdfSuite('matches scipy.stats.binom.cdf up to n = 200,000 (k floored)', () => {
  for (const [k, n, p, expected] of CDF_CASES) assertClose(binomialCdf(k, n, p), expected, 1e-13, 0, `k=${k} n=${n} p=${p}`);
});

binomialCdfSuite('keeps full relative accuracy in far tails at large n', () => {
  // scipy's binom.cdf is off by up to 5e-13 here; references are exact mpmath sums at 40 digits of
  // binomial(n, j) p^j (1-p)^(n-j) over j ≤ k (or 1 minus the sum over j > k).
  assertClose(binomialCdf(98000, 200000, 0.5), 1.9052472524134339594e-19, 1e-14);
  assertClose(binomialCdf(97000, 200000, 0.5), 2.4639337699389937059e-41, 1e-14);
  assertClose(binomialCdf(99500, 200000, 0.5), 0.012746945333473457665, 1e-14);
  assertClose(binomialCdf(139000, 200000, 0.7), 5.5877037874563534618e-7, 1e-14);
  assertClose(binomialCdf(100500, 200000, 0.5), 0.98739950461418890495, 1e-15);
});

binomialCdfSuite('is 0 below the support, 1 at and above n, and handles p = 0 and 1', () => {
  assert.is(binomialCdf(-1, 10, 0.3), 0);
  assert.is(binomialCdf(10, 10, 0.3), 1);
  assert.is(binomialCdf(12, 10, 0.3), 1);
  assert.is(binomialCdf(0, 0, 0.3), 1);
  assert.is(binomialCdf(0, 10, 0), 1);
  assert.is(binomialCdf(9, 10, 1), 0);
  assert.ok(Number.isNaN(binomialCdf(1, 10, -0.1)));
});

binomialCdfSuite.run();

const logBinomialCdfSuite = suite('logBinomialCdf');

logBinomialCdfSuite('is finite where the CDF underflows', () => {
  // mpmath: log of the exact sum over j ≤ 90000 (scipy's binom.logcdf returns -inf here).
  assertClose(logBinomialCdf(90000, 200000, 0.5), -1006.2928743811040179, 1e-14);
  assert.is(logBinomialCdf(-1, 10, 0.5), Number.NEGATIVE_INFINITY);
  assert.is(logBinomialCdf(10, 10, 0.5), 0);
});

logBinomialCdfSuite.run();
