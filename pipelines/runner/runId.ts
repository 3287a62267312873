/** A readable, sortable, unique run id: 20261122T101500Z-4o.t0-7-3fa9. */
export function newRunId(laneSlug: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${laneSlug}-${Math.random().toString(16).slice(2, 6)}`;
}
