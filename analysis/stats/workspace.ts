// Scratch buffers for computing many intervals and paired differences in a row: allocating typed arrays per call
// costs more than the sums over them. A caller that computes many (a ranking, a family of pairs, a model's settings)
// creates one workspace and passes it to each call; a call without one allocates its own. No result refers to a
// workspace's buffers, so reusing it never changes a result already returned.

/** Growable scratch arrays, each grown (doubling) when a call needs more room and reused after that. */
export class StatsWorkspace {
  private sums = { slotOf: new Int32Array(0), residualSums: new Float64Array(0) };
  private diffs = new Float64Array(0);
  private aligned = { items: new Int32Array(0), valuesA: new Float64Array(0), valuesB: new Float64Array(0), clusterIds: new Int32Array(0) };

  /** Per-cluster slots and residual sums with room for `clusterCount` clusters (clusteredMeanIntervalOf). */
  clusterSums(clusterCount: number): { slotOf: Int32Array; residualSums: Float64Array } {
    if (this.sums.slotOf.length < clusterCount) {
      const size = Math.max(clusterCount, 2 * this.sums.slotOf.length);
      this.sums = { slotOf: new Int32Array(size), residualSums: new Float64Array(size) };
    }
    return this.sums;
  }

  /** Room for `n` paired differences (pairedDifferenceOf). */
  differences(n: number): Float64Array {
    if (this.diffs.length < n) this.diffs = new Float64Array(Math.max(n, 2 * this.diffs.length));
    return this.diffs;
  }

  /** Room for `n` items aligned across two sides: item ids, both sides' values, cluster ids. */
  alignment(n: number): { items: Int32Array; valuesA: Float64Array; valuesB: Float64Array; clusterIds: Int32Array } {
    if (this.aligned.items.length < n) {
      const size = Math.max(n, 2 * this.aligned.items.length);
      this.aligned = { items: new Int32Array(size), valuesA: new Float64Array(size), valuesB: new Float64Array(size), clusterIds: new Int32Array(size) };
    }
    return this.aligned;
  }
}
