// Special functions behind the distributions: log-gamma, log-beta and the regularized incomplete beta.
// Large arguments go through Stirling's series so that differences of huge log-gammas do not cancel.

const HALF_LOG_TWO_PI = 0.9189385332046728; // ln(2π)/2

// Stirling's series coefficients B(2k) / (2k(2k−1)), k = 1..8: at x ≥ 10 the truncation error is below 1e-17.
const STIRLING_COEFFICIENTS = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

// ln n! − [(n + ½) ln n − n + ½ ln 2π] for n = 0..9, from mpmath at 40 digits (the series is not accurate there).
const STIRLING_ERROR_SMALL = [
  0, 0.08106146679532726, 0.0413406959554093, 0.02767792568499834, 0.020790672103765093, 0.016644691189821193,
  0.013876128823070748, 0.01189670994589177, 0.010411265261972096, 0.009255462182712733,
];

const SERIES_THRESHOLD = 10;
const EULER_GAMMA = 0.5772156649015329;

/** Returns ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π] for x ≥ 10 (the remainder of Stirling's formula). */
function computeStirlingRemainder(x: number): number {
  const r = 1 / (x * x);
  let sum = 0;
  for (let k = STIRLING_COEFFICIENTS.length - 1; k >= 0; k--) sum = sum * r + STIRLING_COEFFICIENTS[k];
  return sum / x;
}

// Cephes lgam's rational approximation on [2, 3) (S. L. Moshier, Cephes Math Library):
// ln Γ(2 + w) = w · B(w) / C(w) for 0 ≤ w < 1.
const CEPHES_B = [
  -8.53555664245765465627e5, -1.72173700820839662146e6, -1.16237097492762307383e6, -3.31612992738871184744e5,
  -3.88016315134637840924e4, -1.37825152569120859100e3,
];
const CEPHES_C = [
  -2.01889141433532773231e6, -2.53252307177582951285e6, -1.13933444367982507207e6, -2.20528590553854454839e5,
  -1.70642106651881159223e4, -3.51815701436523470549e2, 1,
];

/** Evaluates the polynomial with coefficients c (constant first) at x by Horner's rule. */
function evaluatePolynomial(c: readonly number[], x: number): number {
  let sum = 0;
  for (let i = c.length - 1; i >= 0; i--) sum = sum * x + c[i];
  return sum;
}

/** Returns ln Γ(x) for x > 0 (NaN otherwise), accurate to a few units in the last place of the result. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x >= SERIES_THRESHOLD) return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + computeStirlingRemainder(x);
  if (x < 1e-8) return -Math.log(x) - EULER_GAMMA * x; // next term (π²/12)x² is below 1e-16; avoids 1/x overflow
  // Move x into [2, 3) with Γ(x + 1) = x Γ(x), keeping the factor aside, so small results do not come from cancellation.
  let factor = 1;
  let u = x;
  while (u >= 3) {
    u -= 1;
    factor *= u;
  }
  while (u < 2) {
    factor /= u;
    u += 1;
  }
  const w = u - 2;
  return Math.log(factor) + (w * evaluatePolynomial(CEPHES_B, w)) / evaluatePolynomial(CEPHES_C, w);
}

/** Returns ln n! − [(n + ½) ln n − n + ½ ln 2π], the error of Stirling's approximation to n! (Loader's stirlerr), for n ≥ 0. */
export function computeStirlingError(n: number): number {
  if (n >= SERIES_THRESHOLD) return computeStirlingRemainder(n);
  if (Number.isInteger(n) && n >= 0) return STIRLING_ERROR_SMALL[n];
  return logGamma(n + 1) - (n + 0.5) * Math.log(n) + n - HALF_LOG_TWO_PI;
}

/** Returns ln B(a, b) for a, b > 0, without cancellation when either argument is large (as R's lbeta). */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (!(p > 0)) return Number.NaN;
  if (q === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  if (p >= SERIES_THRESHOLD) {
    const corr = computeStirlingRemainder(p) + computeStirlingRemainder(q) - computeStirlingRemainder(p + q);
    return -0.5 * Math.log(q) + HALF_LOG_TWO_PI + corr + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= SERIES_THRESHOLD) {
    const corr = computeStirlingRemainder(q) - computeStirlingRemainder(p + q);
    return logGamma(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

/** Returns x ln(x/m) + m − x ≥ 0 (Loader's bd0), without cancellation when x ≈ m. */
export function computeDeviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      term *= v;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/** A point x in [0, 1] given together with 1 − x and both logarithms, so callers can pass them without cancellation. */
export interface BetaPoint {
  x: number;
  y: number;
  logX: number;
  logY: number;
}

/** Returns the regularized incomplete beta function I_x(a, b) for x in [0, 1] and a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) return Number.NaN;
  const y = 1 - x;
  return regularizedIncompleteBetaAt({ x, y, logX: Math.log(x), logY: x < 0.5 ? Math.log1p(-x) : Math.log(y) }, a, b);
}

/** Returns I_x(a, b) at a point given with its complement and logarithms (see BetaPoint). */
export function regularizedIncompleteBetaAt(point: BetaPoint, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(point.x) || Number.isNaN(point.y)) return Number.NaN;
  // Decide on the logarithms: x may underflow to 0 while ln x (and so x^a) is still meaningful.
  if (point.logX === Number.NEGATIVE_INFINITY) return 0;
  if (point.logY === Number.NEGATIVE_INFINITY) return 1;
  const logFront = computeLogBetaFront(point, a, b);
  // The fraction converges fast left of the mean; on the right use the symmetry I_x(a, b) = 1 − I_y(b, a).
  if (point.x < (a + 1) / (a + b + 2)) return Math.exp(logFront) / evaluateBetaContinuedFraction(point.x, point.y, a, b);
  return 1 - Math.exp(logFront) / evaluateBetaContinuedFraction(point.y, point.x, b, a);
}

/** Returns ln[x^a y^b / B(a, b)], the factor in front of the continued fraction. */
function computeLogBetaFront(point: BetaPoint, a: number, b: number): number {
  if (Math.min(a, b) < SERIES_THRESHOLD) return a * point.logX + b * point.logY - logBeta(a, b);
  // For large a and b the logs above are huge and cancel. With n = a + b and x + y = 1, Stirling's formula gives
  // ln[x^a y^b / B(a, b)] = −bd0(a, x·n) − bd0(b, y·n) + ½ ln(ab / 2πn) + S(n) − S(a) − S(b): small, accurately
  // computed terms (the saddle-point form of the binomial pmf). Rounding x·n only moves the result by ~ε·|x·n − a|.
  const n = a + b;
  return (
    -computeDeviance(a, point.x * n) -
    computeDeviance(b, point.y * n) +
    0.5 * Math.log((a * b) / n) -
    HALF_LOG_TWO_PI +
    computeStirlingRemainder(n) -
    computeStirlingRemainder(a) -
    computeStirlingRemainder(b)
  );
}

const TINY = 1e-300;

/**
 * Evaluates the continued fraction F with I_x(a, b) = x^a y^b / (B(a, b) F), y = 1 − x, by the modified Lentz method.
 * This is the form of Didonato & Morris (ACM TOMS 708, BFRAC) that Boost.Math evaluates (ibeta_fraction2): every term
 * is written with both x and y, so it stays well conditioned when x is near 1 and a is large (Student t with large df),
 * where the textbook fraction (Numerical Recipes' betacf) loses up to four digits.
 */
function evaluateBetaContinuedFraction(x: number, y: number, a: number, b: number): number {
  const maxIterations = 1000 + Math.ceil(50 * Math.sqrt(Math.max(a, b)));
  let f = (a * (a * y - b * x + 1)) / (a + 1);
  if (f === 0) f = TINY;
  let c = f;
  let d = 0;
  for (let m = 1; m <= maxIterations; m++) {
    const denominator = a + 2 * m - 1;
    const an = ((a + m - 1) * (a + b + m - 1) * m * (b - m) * x * x) / (denominator * denominator);
    const bn = m + (m * (b - m) * x) / denominator + ((a + m) * (a * y - b * x + 1 + m * (2 - x))) / (a + 2 * m + 1);
    d = bn + an * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = bn + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = c * d;
    f *= step;
    if (Math.abs(step - 1) <= Number.EPSILON) return f;
  }
  throw new Error(`incomplete beta continued fraction did not converge (x=${x}, a=${a}, b=${b})`);
}
