import type { CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import type { Lane } from '../../core/lane.ts';

/** Where lanes are kept. DuckDB (embedded file) by default; PostgreSQL can implement the same interface. */
export interface LaneStore {
  list(): Promise<Lane[]>;
  get(slug: string): Promise<Lane | null>;
  /** Inserts a new lane; throws a CliError if the slug exists. */
  add(lane: Lane): Promise<void>;
  /** Inserts or replaces lanes in one transaction (import). Returns how many were new. */
  upsert(lanes: readonly Lane[]): Promise<{ added: number; updated: number }>;
  /** Replaces a lane (whose slug may change when dials change) in one transaction. */
  replace(slug: string, lane: Lane): Promise<void>;
  /** Removes a lane row. Callers check that no run references it first. */
  remove(slug: string): Promise<void>;
  close(): Promise<void>;
}

/** What `add` throws for a slug the registry holds, with the commands that change that lane. */
export function laneExistsError(slug: string, command: CommandRenderer): CliError {
  return new CliError(`lane ${slug} already exists`, { hint: `change it with '${command(['lanes', 'set', slug, '…'])}', or pick another alias` });
}
