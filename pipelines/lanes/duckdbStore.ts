import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import { openDuckDB, queryRows } from '../../lib/duckdb.ts';
import type { Lane } from '../../core/lane.ts';
import { parseLane } from './parse.ts';
import { laneExistsError, type LaneStore } from './store.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS lanes (
  slug VARCHAR PRIMARY KEY,
  lane JSON NOT NULL,
  provider VARCHAR NOT NULL,
  model VARCHAR NOT NULL,
  active BOOLEAN NOT NULL,
  visible BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

const UPSERT = `INSERT INTO lanes (slug, lane, provider, model, active, visible) VALUES ($slug, $lane, $provider, $model, $active, $visible)
  ON CONFLICT (slug) DO UPDATE SET lane = excluded.lane, provider = excluded.provider, model = excluded.model,
  active = excluded.active, visible = excluded.visible, updated_at = now()`;

function laneParams(lane: Lane): Record<string, string | boolean> {
  return { slug: lane.slug, lane: JSON.stringify(lane), provider: lane.provider, model: lane.model, active: lane.active, visible: lane.visible };
}

/** The lane registry in an embedded DuckDB file. Opened per command and closed after, so parallel runs can read it. */
export class DuckDBLaneStore implements LaneStore {
  private constructor(private readonly path: string, private readonly instance: DuckDBInstance, private readonly connection: DuckDBConnection, private readonly command: CommandRenderer) {}

  /** `command` renders the commands in its errors' hints. */
  static async open(path: string, options: { readOnly?: boolean; command?: CommandRenderer } = {}): Promise<DuckDBLaneStore> {
    if (options.readOnly !== true) await mkdir(dirname(path), { recursive: true });
    const instance = await openDuckDB(path, options.readOnly === true ? { readOnly: true } : {});
    const connection = await instance.connect();
    if (options.readOnly !== true) await connection.run(SCHEMA);
    return new DuckDBLaneStore(path, instance, connection, options.command ?? PLAIN_COMMAND);
  }

  async list(): Promise<Lane[]> {
    const rows = await queryRows(this.connection, 'SELECT slug, lane::VARCHAR AS lane, active, visible, created_at::VARCHAR AS created_at, updated_at::VARCHAR AS updated_at FROM lanes ORDER BY slug');
    return rows.map((row) => this.toLane(row));
  }

  async get(slug: string): Promise<Lane | null> {
    const rows = await queryRows(this.connection, 'SELECT slug, lane::VARCHAR AS lane, active, visible, created_at::VARCHAR AS created_at, updated_at::VARCHAR AS updated_at FROM lanes WHERE slug = $slug', { slug });
    return rows.length === 0 ? null : this.toLane(rows[0]);
  }

  async add(lane: Lane): Promise<void> {
    if ((await this.get(lane.slug)) !== null) {
      throw laneExistsError(lane.slug, this.command);
    }
    await this.connection.run('INSERT INTO lanes (slug, lane, provider, model, active, visible) VALUES ($slug, $lane, $provider, $model, $active, $visible)', laneParams(lane));
  }

  async upsert(lanes: readonly Lane[]): Promise<{ added: number; updated: number }> {
    const existing = new Set((await queryRows(this.connection, 'SELECT slug FROM lanes')).map((r) => String(r['slug'])));
    await this.transaction(async () => {
      for (const lane of lanes) await this.connection.run(UPSERT, laneParams(lane));
    });
    const added = lanes.filter((l) => !existing.has(l.slug)).length;
    return { added, updated: lanes.length - added };
  }

  async replace(slug: string, lane: Lane): Promise<void> {
    await this.transaction(async () => {
      if (slug !== lane.slug) {
        if ((await this.get(lane.slug)) !== null) throw new CliError(`lane ${lane.slug} already exists`, { hint: 'those dials are already a lane; disable one of them instead' });
        await this.connection.run('DELETE FROM lanes WHERE slug = $slug', { slug });
      }
      await this.connection.run(UPSERT, laneParams(lane));
    });
  }

  async remove(slug: string): Promise<void> {
    await this.connection.run('DELETE FROM lanes WHERE slug = $slug', { slug });
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async transaction(body: () => Promise<void>): Promise<void> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      await body();
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK');
      throw error;
    }
  }

  private toLane(row: Record<string, unknown>): Lane {
    const lane = parseLane({ ...(JSON.parse(String(row['lane'])) as object), active: row['active'], visible: row['visible'] }, { file: this.path, field: `lanes[${String(row['slug'])}]` });
    lane.created_at = String(row['created_at']);
    lane.updated_at = String(row['updated_at']);
    return lane;
  }
}
