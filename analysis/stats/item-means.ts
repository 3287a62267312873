// Per-item means over replicates: the unit of analysis is the item, so repeated attempts are averaged first.

/** One observed value for an item; cluster groups related items (e.g. variants of one source problem). */
export interface ItemValue {
  item: string;
  cluster?: string | null;
  value: number;
}

/** The mean of one item's values with the number of values and the item's cluster. */
export interface ItemMean {
  item: string;
  cluster: string;
  mean: number;
  n: number;
}

/**
 * Returns one row per item (in order of first appearance) with the mean of its values. The cluster defaults to the
 * item itself; a missing cluster on some rows takes the one named on others, and two different clusters throw.
 */
export function itemMeans(rows: readonly ItemValue[]): ItemMean[] {
  const groups = new Map<string, { cluster: string | null; sum: number; n: number }>();
  for (const row of rows) {
    const cluster = row.cluster ?? null;
    const group = groups.get(row.item);
    if (group === undefined) {
      groups.set(row.item, { cluster, sum: row.value, n: 1 });
      continue;
    }
    if (cluster !== null && group.cluster !== null && cluster !== group.cluster) {
      throw new RangeError(`item "${row.item}" is in two clusters: "${group.cluster}" and "${cluster}"`);
    }
    group.cluster ??= cluster;
    group.sum += row.value;
    group.n += 1;
  }
  return [...groups].map(([item, g]) => ({ item, cluster: g.cluster ?? item, mean: g.sum / g.n, n: g.n }));
}
