import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL that .ci/run starts (trust auth); tests work in a schema of their own inside it. */
export const TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of this test run's own: `url` connects with it first on the search_path, so unqualified tables land there. */
export interface TestSchema {
  url: string;
  schema: string;
  /** Runs one statement in the schema. */
  query(sql: string): Promise<void>;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

export interface TestSchemaOptions {
  /** Reads AUDITION_TEST_PG: `required` (as .ci/run sets) turns an unreachable server into a failure. */
  env: NodeJS.ProcessEnv;
  /** Where the one skip line goes. */
  log: (line: string) => void;
  url?: string;
  /** How long to wait for the server to answer. */
  timeoutMs?: number;
}

async function withClient(url: string, timeoutMs: number, body: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  await client.connect();
  try {
    await body(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh schema for the tests named `what` (say `PostgreSQL tests of X`), with a name no concurrent test run shares,
 * or null when PostgreSQL does not answer: then one line says what is skipped and why, unless
 * AUDITION_TEST_PG=required (as .ci/run sets), which throws instead. Call it once a test file.
 */
export async function openTestSchema(what: string, options: TestSchemaOptions): Promise<TestSchema | null> {
  const url = new URL(options.url ?? TEST_PG_URL);
  const timeoutMs = options.timeoutMs ?? 3000;
  const schema = `audition_test_${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  try {
    await withClient(url.href, timeoutMs, (client) => client.query(`CREATE SCHEMA ${schema}`).then(() => undefined));
  } catch (error) {
    const reason = `${url.host} unreachable: ${(error as Error).message || (error as Error).name}`;
    if (options.env['AUDITION_TEST_PG'] === 'required') throw new Error(`${what}: AUDITION_TEST_PG=required, but PostgreSQL at ${reason}`, { cause: error });
    options.log(`skipped: ${what} (${reason}; set AUDITION_TEST_PG=required to fail instead)`);
    return null;
  }
  const inSchema = new URL(url);
  inSchema.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: inSchema.href,
    schema,
    query: (sql) => withClient(inSchema.href, timeoutMs, (client) => client.query(sql).then(() => undefined)),
    drop: () => withClient(url.href, timeoutMs, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)),
  };
}
