import { existsSync } from 'node:fs';
import type { LaneFlags } from '../../core/lane.ts';
import { locateRegistry, openLaneStore } from './openStore.ts';

/** The registry's flags of every lane, from whichever store is configured; no DuckDB registry file yet: none (it is not created). */
export async function readLaneFlags(runsDir: string, env: NodeJS.ProcessEnv): Promise<LaneFlags[]> {
  const location = locateRegistry(runsDir, env);
  if (location.kind === 'duckdb' && !existsSync(location.path)) return [];
  const store = await openLaneStore(runsDir, { readOnly: true, env });
  try {
    return (await store.list()).map(({ slug, active, visible }) => ({ slug, active, visible }));
  } finally {
    await store.close();
  }
}
