import pg from 'pg';
import { PLAIN_COMMAND, type CommandRenderer } from '../../lib/commandHint.ts';
import { CliError } from '../../lib/errors.ts';
import type { Lane } from '../../core/lane.ts';
import { parseLane } from './parse.ts';
import { laneExistsError, type LaneStore } from './store.ts';

const SCHEMA = `CREATE TABLE IF NOT EXISTS audition_lanes (
  slug TEXT PRIMARY KEY,
  lane JSONB NOT NULL,
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  active BOOLEAN NOT NULL,
  visible BOOLEAN NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
)`;

const UPSERT = `INSERT INTO audition_lanes (slug, lane, provider, model, active, visible) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (slug) DO UPDATE SET lane = excluded.lane, provider = excluded.provider, model = excluded.model,
  active = excluded.active, visible = excluded.visible, updated_at = now()`;

const SELECT = 'SELECT slug, lane, active, visible, created_at, updated_at FROM audition_lanes';

function params(lane: Lane): unknown[] {
  return [lane.slug, JSON.stringify(lane), lane.provider, lane.model, lane.active, lane.visible];
}

/** The lane registry in PostgreSQL (AUDITION_DATABASE_URL=postgres://…), for teams sharing one roster. */
export class PostgresLaneStore implements LaneStore {
  private constructor(private readonly client: pg.Client, private readonly url: string, private readonly command: CommandRenderer) {}

  /** `command` renders the commands in its errors' hints. */
  static async open(url: string, command: CommandRenderer = PLAIN_COMMAND): Promise<PostgresLaneStore> {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
    } catch (error) {
      throw new CliError(`cannot connect to the lane registry at ${url.replace(/\/\/[^@/]*@/, '//…@')}: ${(error as Error).message}`, { hint: 'check AUDITION_DATABASE_URL', cause: error });
    }
    await client.query(SCHEMA);
    return new PostgresLaneStore(client, url, command);
  }

  async list(): Promise<Lane[]> {
    const { rows } = await this.client.query(`${SELECT} ORDER BY slug`);
    return rows.map((row: Record<string, unknown>) => this.toLane(row));
  }

  async get(slug: string): Promise<Lane | null> {
    const { rows } = await this.client.query(`${SELECT} WHERE slug = $1`, [slug]);
    return rows.length === 0 ? null : this.toLane(rows[0] as Record<string, unknown>);
  }

  async add(lane: Lane): Promise<void> {
    const result = await this.client.query('INSERT INTO audition_lanes (slug, lane, provider, model, active, visible) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING', params(lane));
    if (result.rowCount === 0) throw laneExistsError(lane.slug, this.command);
  }

  async upsert(lanes: readonly Lane[]): Promise<{ added: number; updated: number }> {
    return this.transaction(async () => {
      const { rows } = await this.client.query('SELECT slug FROM audition_lanes WHERE slug = ANY($1)', [lanes.map((l) => l.slug)]);
      for (const lane of lanes) await this.client.query(UPSERT, params(lane));
      return { added: lanes.length - rows.length, updated: rows.length };
    });
  }

  async replace(slug: string, lane: Lane): Promise<void> {
    await this.transaction(async () => {
      if (slug !== lane.slug) {
        if ((await this.get(lane.slug)) !== null) throw new CliError(`lane ${lane.slug} already exists`, { hint: 'those dials are already a lane; disable one of them instead' });
        await this.client.query('DELETE FROM audition_lanes WHERE slug = $1', [slug]);
      }
      await this.client.query(UPSERT, params(lane));
    });
  }

  async remove(slug: string): Promise<void> {
    await this.client.query('DELETE FROM audition_lanes WHERE slug = $1', [slug]);
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  private async transaction<T>(body: () => Promise<T>): Promise<T> {
    await this.client.query('BEGIN');
    try {
      const result = await body();
      await this.client.query('COMMIT');
      return result;
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  private toLane(row: Record<string, unknown>): Lane {
    const lane = parseLane({ ...(row['lane'] as object), active: row['active'], visible: row['visible'] }, { file: this.url.replace(/\/\/[^@/]*@/, '//…@'), field: `audition_lanes[${String(row['slug'])}]` });
    lane.created_at = (row['created_at'] as Date).toISOString();
    lane.updated_at = (row['updated_at'] as Date).toISOString();
    return lane;
  }
}
