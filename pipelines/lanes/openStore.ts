import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { DuckDBLaneStore } from './duckdbStore.ts';
import type { LaneStore } from './store.ts';

export type RegistryLocation = { kind: 'duckdb'; path: string } | { kind: 'postgres'; url: string };

/** Where the lane registry lives: AUDITION_DATABASE_URL (a postgres:// URL or a DuckDB file path), else runs/_registry/lanes.duckdb. */
export function locateRegistry(runsDir: string, env: NodeJS.ProcessEnv): RegistryLocation {
  const url = env['AUDITION_DATABASE_URL'];
  if (url !== undefined && url !== '') {
    if (/^postgres(ql)?:\/\//.test(url)) return { kind: 'postgres', url };
    return { kind: 'duckdb', path: url.replace(/^duckdb:(\/\/)?/, '') };
  }
  return { kind: 'duckdb', path: join(runsDir, '_registry', 'lanes.duckdb') };
}

/** Opens the lane registry; read-only opens let many parallel runs share it and wait briefly for a writer. */
export async function openLaneStore(runsDir: string, options: { readOnly?: boolean; env: NodeJS.ProcessEnv; command?: CommandRenderer }): Promise<LaneStore> {
  const location = locateRegistry(runsDir, options.env);
  if (location.kind === 'postgres') {
    const { PostgresLaneStore } = await import('./postgresStore.ts');
    return PostgresLaneStore.open(location.url, options.command);
  }
  const readOnly = options.readOnly === true && existsSync(location.path);
  for (let attempt = 0; ; attempt++) {
    try {
      return await DuckDBLaneStore.open(location.path, { readOnly, ...(options.command === undefined ? {} : { command: options.command }) });
    } catch (error) {
      if (!(error instanceof CliError) || attempt >= 20) throw error;
      await sleep(100 + attempt * 50);
    }
  }
}
