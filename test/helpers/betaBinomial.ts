// Clustered, replicated 0/1 outcomes with a known mean rate, for coverage simulations: a cluster's rate is drawn
// from Beta(μκ, (1 − μ)κ), each of its items' rates from Beta(πλ, (1 − π)λ) around the cluster's π, and each item's
// replicates are Bernoulli draws at its rate. E[item rate] = μ exactly; two attempts on different items of one
// cluster correlate 1/(κ + 1), two attempts on one item (1 + κ + λ)/((κ + 1)(λ + 1)).

import type { ItemTotals } from '../../analysis/outcomes.ts';
import { drawNormal } from '../../bench/synthetic.ts';

/** The shape of a simulated suite and the strength of its heterogeneity. */
export interface ClusteredDesign {
  clusters: number;
  itemsPerCluster: number;
  replicates: number;
  /** Concentration of cluster rates around μ (smaller: clusters differ more). */
  kappa: number;
  /** Concentration of item rates around their cluster's (smaller: items differ more). */
  lambda: number;
}

/** Draws Gamma(shape, 1) (Marsaglia–Tsang; shape < 1 by the U^{1/shape} boost). */
function drawGamma(shape: number, rng: () => number): number {
  if (shape < 1) return drawGamma(shape + 1, rng) * Math.pow(rng(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = drawNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    if (Math.log(rng()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Draws Beta(a, b) as a ratio of gammas. */
function drawBeta(a: number, b: number, rng: () => number): number {
  const x = drawGamma(a, rng);
  return x / (x + drawGamma(b, rng));
}

/** Draws one lane's item totals on a fresh suite of the design whose population mean rate is `rate`. */
export function drawClusteredTotals(design: ClusteredDesign, rate: number, rng: () => number): ItemTotals {
  const totals: ItemTotals = new Map();
  for (let g = 0; g < design.clusters; g++) {
    const clusterRate = drawBeta(rate * design.kappa, (1 - rate) * design.kappa, rng);
    for (let j = 0; j < design.itemsPerCluster; j++) {
      const itemRate = drawBeta(clusterRate * design.lambda, (1 - clusterRate) * design.lambda, rng);
      let total = 0;
      for (let r = 0; r < design.replicates; r++) total += rng() < itemRate ? 1 : 0;
      totals.set(`c${g}-i${j}`, { cluster: `c${g}`, attempts: design.replicates, total });
    }
  }
  return totals;
}
