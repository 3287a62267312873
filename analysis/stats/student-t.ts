// Student's t distribution: CDF through the regularized incomplete beta, quantile by safeguarded Newton inversion.
// Degrees of freedom must be finite and positive (non-integer allowed); otherwise the result is NaN.

import { normalQuantile } from './normal.ts';
import { logBeta, regularizedIncompleteBetaAt, type BetaPoint } from './special.ts';

/** Returns ln r and ln(1 + r²) for r = |t| / √df, without overflow when r exceeds the largest double. */
function computeLogs(t: number, df: number): { logR: number; log1pSquare: number } {
  const r = Math.abs(t) / Math.sqrt(df);
  if (r < 1) return { logR: Math.log(r), log1pSquare: Math.log1p(r * r) };
  const logR = Number.isFinite(r) ? Math.log(r) : Math.log(Math.abs(t)) - 0.5 * Math.log(df);
  return { logR, log1pSquare: 2 * logR + Math.log1p(Math.exp(-2 * logR)) };
}

/** Returns the incomplete-beta point x = df / (df + t²) with 1 − x and both logarithms. */
function computeBetaPoint(t: number, df: number): BetaPoint {
  const { logR, log1pSquare } = computeLogs(t, df);
  const logX = -log1pSquare;
  const logY = 2 * logR - log1pSquare;
  return { x: Math.exp(logX), y: Math.exp(logY), logX, logY };
}

/** Returns P(T > |t|) for T ~ t(df): ½ I_x(df/2, ½) with x = df / (df + t²); accurate when small. */
function computeUpperTail(t: number, df: number): number {
  if (t === 0) return 0.5;
  if (!Number.isFinite(t)) return 0;
  return 0.5 * regularizedIncompleteBetaAt(computeBetaPoint(t, df), df / 2, 0.5);
}

/** Returns P(0 < T < |t|) = ½ I_y(½, df/2) with y = t² / (df + t²); accurate when small (t near 0). */
function computeCentral(t: number, df: number): number {
  if (t === 0) return 0;
  if (!Number.isFinite(t)) return 0.5;
  const { x, y, logX, logY } = computeBetaPoint(t, df);
  return 0.5 * regularizedIncompleteBetaAt({ x: y, y: x, logX: logY, logY: logX }, 0.5, df / 2);
}

/** Returns the log density of t(df) at t. */
function computeLogDensity(t: number, df: number): number {
  return -((df + 1) / 2) * computeLogs(t, df).log1pSquare - 0.5 * Math.log(df) - logBeta(df / 2, 0.5);
}

/** Returns true when df is a usable degrees-of-freedom value (finite, positive). */
function isValidDf(df: number): boolean {
  return df > 0 && Number.isFinite(df);
}

/** Returns P(T ≤ t) for T ~ Student t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !isValidDf(df)) return Number.NaN;
  const tail = computeUpperTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** Returns the Student t quantile: the t with P(T ≤ t) = p (−Infinity at 0, Infinity at 1). */
export function tQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !isValidDf(df)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  const sign = p < 0.5 ? -1 : 1;
  const q = p < 0.5 ? p : 1 - p; // the upper-tail probability of |t|; exact for p > 0.5
  if (df === 1) return sign * (q < 0.25 ? 1 / Math.tan(Math.PI * q) : Math.tan(Math.PI * (0.5 - q))); // Cauchy
  if (df === 2) return (sign * (1 - 2 * q)) / Math.sqrt(2 * q * (1 - q));
  // Near the centre solve on P(0 < T < t) = |p − ½| (exact), far out on the tail probability q, so neither cancels.
  return sign * (q < 0.25 ? invertUpperTail(q, df) : invertCentral(0.5 - q, df));
}

const MAX_ITERATIONS = 400;

/** Finds t > 0 with P(T > t) = q (0 < q < ½): bracket, then Newton on ln P(T > t). */
function invertUpperTail(q: number, df: number): number {
  const logQ = Math.log(q);
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(q));
  while (computeUpperTail(hi, df) > q) {
    lo = hi;
    hi *= 4;
    if (hi === Number.POSITIVE_INFINITY) return hi;
  }
  const guess = -normalQuantile(q);
  // d/dt ln P(T > t) = −f(t) / P(T > t), so the Newton step for ln P(T > t) = ln q is h · P(T > t) / f(t).
  return findRoot(
    (t) => {
      const logTail = Math.log(computeUpperTail(t, df));
      const h = logTail - logQ;
      return [h, h * Math.exp(logTail - computeLogDensity(t, df))];
    },
    lo,
    hi,
    guess > lo && guess < hi ? guess : hi,
  );
}

/** Finds t > 0 with P(0 < T < t) = c (0 < c ≤ ¼): bracket, then Newton with the density as slope. */
function invertCentral(c: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (computeCentral(hi, df) < c) {
    lo = hi;
    hi *= 2;
  }
  const guess = normalQuantile(0.5 + c);
  return findRoot(
    (t) => {
      const residual = c - computeCentral(t, df);
      return [residual, residual / Math.exp(computeLogDensity(t, df))];
    },
    lo,
    hi,
    guess > lo && guess < hi ? guess : 0.5 * (lo + hi),
  );
}

/**
 * Finds the root in (lo, hi) of a residual that is positive left of it and negative right of it. step(t) returns the
 * residual and a Newton step; a step that leaves the bracket is replaced by bisection (geometric across decades).
 */
function findRoot(step: (t: number) => [number, number], lo: number, hi: number, start: number): number {
  let t = start;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const [residual, delta] = step(t);
    if (residual === 0) return t;
    if (residual > 0) lo = t;
    else hi = t;
    let next = t + delta;
    if (!(next > lo && next < hi)) next = lo > 0 && hi / lo > 4 ? Math.sqrt(lo * hi) : 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 2 * Number.EPSILON * next || hi - lo <= 2 * Number.EPSILON * hi) return next;
    t = next;
  }
  return t;
}
