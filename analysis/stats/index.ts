// Statistics for ranking lanes with honest error bars: pure functions, no I/O.

export { normalQuantile } from './normal.ts';
export { tCdf, tQuantile } from './student-t.ts';
export { binomialCdf, binomialPmf, logBinomialCdf, logBinomialPmf } from './binomial.ts';
export { logBeta, logGamma, regularizedIncompleteBeta } from './special.ts';
export { meanInterval, wilsonInterval, type MeanInterval, type RateInterval } from './intervals.ts';
export { itemMeans, type ItemMean, type ItemValue } from './item-means.ts';
export { clusteredMeanInterval, clusteredMeanIntervalOf, type ClusteredMeanInterval } from './clustered.ts';
export { clusteredRateIntervalOf, computeNoSpreadInterval, type ClusteredRateInterval } from './clustered-rate.ts';
export { MDE_MULTIPLIER, pairedDifference, pairedDifferenceOf, type AlignedValues, type McNemarResult, type PairedDifference, type PairedOptions } from './paired.ts';
export { mcnemarExact, mcnemarInterval } from './mcnemar.ts';
export { adjustBenjaminiHochberg, adjustHolm, computeHolmLevels } from './adjust.ts';
export { rankWithTies } from './rank.ts';
export { StatsWorkspace } from './workspace.ts';
