// The lane registry's flags inside the aggregate database (lane_flags), so the tables join them like any other:
// the registry, not the copy of the lane in each log, decides which lanes rankings and reports show. The caller
// reads the registry (DuckDB or PostgreSQL); the build stores its flags and learns which lanes' flags changed.

import type { DuckDBConnection } from '@duckdb/node-api';
import type { LaneFlags } from '../../core/lane.ts';
import { queryNamed, runNamed } from '../queries.ts';
import { writeRows } from './tables.ts';

/** Stores the registry's current flags when they differ from the stored ones; returns the slugs whose flags changed. */
export async function updateLaneFlags(connection: DuckDBConnection, flags: readonly LaneFlags[]): Promise<string[]> {
  const text = (f: { active: unknown; visible: unknown }) => `${String(f.active)} ${String(f.visible)}`;
  const stored = new Map((await queryNamed(connection, 'lane_flags_rows')).map((r) => [String(r['slug']), text(r as { active: unknown; visible: unknown })]));
  const current = new Map(flags.map((f) => [f.slug, text(f)]));
  const changed = [...new Set([...stored.keys(), ...current.keys()])].filter((slug) => stored.get(slug) !== current.get(slug)).sort();
  // Written only on a change: an update that adds rows to a table pays for it at commit.
  if (changed.length > 0) {
    await runNamed(connection, 'forget_lane_flags');
    await writeRows(connection, 'lane_flags', [...flags].sort((a, b) => a.slug.localeCompare(b.slug)));
  }
  return changed;
}
