import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pilotVariance, planDesigns } from '../../analysis/plan.ts';
import { differenceSe, itemsNeeded, minimumDetectableEffect, powerMultiplier } from '../../analysis/stats/power.ts';
import { assertClose as close } from './close.ts';

// Reference values from scipy 1.17.1 (stats.t.ppf), computed outside this code:
//   t.ppf(0.975, 99) + t.ppf(0.8, 99)                  = 2.8294839835399146
//   t.ppf(1 - 0.05/12, 49) + t.ppf(0.8, 49)            = 3.5986297071855247   (alpha 0.05 over a family of 6)
//   se = sqrt((0.04 + 0.3/3) / 68)                     = 0.04537426064865151
//   (t.ppf(0.975, 67) + t.ppf(0.8, 67)) * se           = 0.12900026284248198
//   the first n with (t.ppf(.975, n-1) + t.ppf(.8, n-1)) * sqrt((0.04 + 0.3/r)/n) <= 0.05: r = 1 → 1070, r = 3 → 442
//   and the noncentral t confirms the approximation: at n = 100, r = 1, the power of the two-sided test at that
//   effect is 1 - nct.cdf(tc, 99, d/se) + nct.cdf(-tc, 99, d/se) = 0.80010.
const power = suite('power of a paired comparison');
const TARGET = { alpha: 0.05, power: 0.8 };
const VARIANCE = { itemVariance: 0.04, replicateVariance: 0.3 };

power('the multiplier is t(1 − α/2, df) + t(power, df)', () => {
  close(powerMultiplier(99, TARGET), 2.8294839835399146, 1e-9);
  close(powerMultiplier(49, { alpha: 0.05 / 6, power: 0.8 }), 3.5986297071855247, 1e-9);
});

power('the detectable effect of 68 items × 3 replicates', () => {
  close(differenceSe(VARIANCE, 68, 3), 0.04537426064865151, 1e-12);
  close(minimumDetectableEffect(VARIANCE, 68, 3, TARGET), 0.12900026284248198, 1e-9);
});

power('items needed: the first design that detects the effect; replicates buy back only the replicate variance', () => {
  assert.is(itemsNeeded(VARIANCE, 0.05, 1, TARGET), 1070);
  assert.is(itemsNeeded(VARIANCE, 0.05, 3, TARGET), 442);
  // with every bit of variance between items, replicates do not help at all
  const betweenOnly = { itemVariance: 0.34, replicateVariance: 0 };
  assert.is(itemsNeeded(betweenOnly, 0.05, 5, TARGET), itemsNeeded(betweenOnly, 0.05, 1, TARGET));
  assert.is(itemsNeeded(VARIANCE, 0.05, 1, TARGET, 500), null, 'not within 500 items');
  assert.is(itemsNeeded({ itemVariance: 0, replicateVariance: 0 }, 0.05, 1, TARGET), 2);
});

power.run();

const pilot = suite('pilotVariance and planDesigns');

pilot('replicated pilot: item and replicate variance by the method of moments (worked by hand)', () => {
  // d = mean_A − mean_B per item: (1 − 0, .5 − .5, 0 − .5) = (1, 0, −.5); mean 1/6; sample variance
  //   ((5/6)² + (1/6)² + (2/3)²) / 2 = (42/36) / 2 = 0.58333…
  // a lane's replicate variance m(1 − m)k/(k − 1): 0 at m ∈ {0, 1}, 0.25·2 = 0.5 at m = .5
  //   replicateVariance = mean(wA + wB) = (0 + 1 + 0.5) / 3 = 0.5
  //   sampling = mean(wA/kA + wB/kB) = (0 + 0.5 + 0.25) / 3 = 0.25 → itemVariance = 0.58333 − 0.25 = 0.33333
  const v = pilotVariance([
    { attemptsA: 2, totalA: 2, attemptsB: 2, totalB: 0 },
    { attemptsA: 2, totalA: 1, attemptsB: 2, totalB: 1 },
    { attemptsA: 2, totalA: 0, attemptsB: 2, totalB: 1 },
  ]);
  assert.ok(v !== null);
  close(v.itemVariance, 1 / 3, 1e-12);
  close(v.replicateVariance, 0.5, 1e-12);
  assert.equal([v.items, v.replicatesSeen], [3, true]);
});

pilot('a one-attempt pilot cannot split the variance: all of it between items; fewer than 2 shared items: none', () => {
  // d = (1, −1, 0): mean 0, sample variance (1 + 1 + 0) / 2 = 1
  const v = pilotVariance([
    { attemptsA: 1, totalA: 1, attemptsB: 1, totalB: 0 },
    { attemptsA: 1, totalA: 0, attemptsB: 1, totalB: 1 },
    { attemptsA: 1, totalA: 1, attemptsB: 1, totalB: 1 },
  ]);
  assert.equal(v, { itemVariance: 1, replicateVariance: 0, items: 3, replicatesSeen: false });
  assert.is(pilotVariance([{ attemptsA: 1, totalA: 1, attemptsB: 1, totalB: 0 }, { attemptsA: 0, totalA: 0, attemptsB: 1, totalB: 0 }]), null);
});

pilot('designs: items needed per replicate count, and what the whole suite detects', () => {
  // scipy: (t.ppf(.975, 499) + t.ppf(.8, 499)) * sqrt((0.04 + 0.3/r) / 500) = 0.07319947014465648 (r = 1), 0.04697129098540761 (r = 3)
  const rows = planDesigns(VARIANCE, 0.05, [1, 3], 500, TARGET);
  assert.equal(rows.map((r) => [r.replicates, r.items_needed, r.steps_per_lane, r.suite_suffices]), [[1, 1070, 1070, false], [3, 442, 1326, true]]);
  close(rows[0].suite_mde, 0.07319947014465648, 1e-9);
  close(rows[1].suite_mde, 0.04697129098540761, 1e-9);
});

pilot.run();
