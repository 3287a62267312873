import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CommandRenderer } from '../../lib/commandHint.ts';
import { CliError, InputError } from '../../lib/errors.ts';
import type { Lane } from '../../core/lane.ts';
import type { RateLimit } from './rateLimiter.ts';

export interface LimitRow extends RateLimit {
  provider: string;
  model: string;
}

export const DEFAULT_LIMITS_FILE = fileURLToPath(new URL('../../docs/api_limits.md', import.meta.url));

const REQUIRED_COLUMNS = ['provider', 'model', 'requests_per_minute', 'tokens_per_minute'] as const;

/** Parses the limits table of a Markdown file (docs/api_limits.md is the one source): the table whose header has the limit columns; other tables (the column docs) are prose. */
export function parseLimitsTable(text: string, file: string): LimitRow[] {
  const rows: LimitRow[] = [];
  let header: string[] | null = null;
  let isLimits = false;
  let found = false;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line.startsWith('|')) {
      header = null;
      return;
    }
    const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      isLimits = header.includes('provider') && header.includes('model');
      if (isLimits) {
        found = true;
        for (const need of REQUIRED_COLUMNS) {
          if (!header.includes(need)) throw new InputError({ file, line: index + 1 }, `the limits table needs a "${need}" column`);
        }
      }
      return;
    }
    if (!isLimits || cells.every((c) => /^:?-+:?$/.test(c))) return;
    const cell = (name: string): string => cells[(header as string[]).indexOf(name)] ?? '';
    const number = (name: string): number | undefined => {
      const v = cell(name).replaceAll(',', '').replaceAll('_', '');
      if (v === '') return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new InputError({ file, line: index + 1, field: name }, `expected a positive number or a blank cell, got ${JSON.stringify(cell(name))}`);
      return n;
    };
    const row: LimitRow = { provider: cell('provider'), model: cell('model') || '*' };
    const rpm = number('requests_per_minute');
    const tpm = number('tokens_per_minute');
    if (rpm !== undefined) row.requestsPerMinute = rpm;
    if (tpm !== undefined) row.tokensPerMinute = tpm;
    if ((header as string[]).includes('window_ms')) {
      const w = number('window_ms');
      if (w !== undefined) row.windowMs = w;
    }
    rows.push(row);
  });
  if (!found) throw new InputError({ file }, `no limits table: a Markdown table with the columns ${REQUIRED_COLUMNS.join(', ')}`, 'see docs/api_limits.md for the format');
  return rows;
}

/** A limits table as read: its rows, the file it came from and the content's hash (which a run log records). */
export interface LimitsTable {
  file: string;
  sha256: string;
  rows: LimitRow[];
}

/** A limits table of rows built in code (tests, benchmarks), hashed like a file's content. */
export function limitsTableOf(rows: LimitRow[], file = 'the limits table'): LimitsTable {
  return { file, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex'), rows };
}

/** Reads a limits table file (default: the built-in docs/api_limits.md). */
export async function readLimitsFile(path: string = DEFAULT_LIMITS_FILE): Promise<LimitsTable> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new InputError({ file: path }, 'no such limits file', 'pass --limits FILE with a limits table (see docs/api_limits.md)');
    throw error;
  });
  return { file: path, sha256: createHash('sha256').update(text).digest('hex'), rows: parseLimitsTable(text, path) };
}

/** The provider key a lane is limited under: `openai-compatible/<backend>` for compatible servers. */
export function limitProviderKey(lane: Lane): string {
  return lane.provider === 'openai-compatible' ? `openai-compatible/${lane.backend ?? 'generic'}` : lane.provider;
}

/**
 * How well a row's model cell matches a model id: the cell is one or more patterns separated by commas, each an
 * exact id or a pattern with `*` wildcards (`gpt-4o-20*`, `claude-sonnet-4-5*`, `*`). A bare id matches only that id,
 * so `gpt-4o` never catches `gpt-4o-mini`. The score is the most literal characters of a matching pattern (an exact
 * id beats any pattern), or -1 when none matches.
 */
export function matchModel(cell: string, model: string): number {
  let best = -1;
  for (const pattern of cell.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    if (!pattern.includes('*')) {
      if (pattern === model) return Number.MAX_SAFE_INTEGER;
      continue;
    }
    const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    if (regex.test(model)) best = Math.max(best, pattern.replaceAll('*', '').length);
  }
  return best;
}

/** The row for a lane: same provider key, then the model cell that matches it best (see matchModel). */
export function findLimit(rows: readonly LimitRow[], lane: Lane): LimitRow | null {
  const provider = limitProviderKey(lane);
  let found: { row: LimitRow; score: number } | null = null;
  for (const row of rows) {
    if (row.provider !== provider) continue;
    const score = matchModel(row.model, lane.model);
    if (score >= 0 && (found === null || score > found.score)) found = { row, score };
  }
  return found?.row ?? null;
}

/**
 * The bucket a lane's requests are counted in: one per provider endpoint, model and key, whichever row's limits
 * apply (the providers count per model and per key, so two models under one `*` row do not share a limit).
 */
export function limitBucketKey(lane: Lane): string {
  return [limitProviderKey(lane), lane.base_url ?? '', lane.model, lane.api_key_env ?? ''].join('|');
}

/** The output budget the limiter reserves for a request that sets none (the lane's max_output_tokens wins). */
export const DEFAULT_OUTPUT_BUDGET = 1024;

/**
 * Refuses, before anything is sent or logged, a lane whose output budget alone exceeds its tokens-per-minute row:
 * the limiter reserves prompt + budget for every request, so not one request could ever be admitted.
 */
export function assertLaneFitsLimits(lane: Lane, rows: readonly LimitRow[] | undefined, limitsFile: string, command: CommandRenderer): void {
  const row = rows === undefined ? null : findLimit(rows, lane);
  const budget = lane.dials.max_output_tokens ?? DEFAULT_OUTPUT_BUDGET;
  if (row?.tokensPerMinute === undefined || budget < row.tokensPerMinute) return;
  throw new CliError(`lane ${lane.slug}: its output budget of ${budget} tokens (max_output_tokens) is not below the ${row.tokensPerMinute} tokens a minute of its limits row (${row.provider} | ${row.model} in ${limitsFile}), so no request could ever be admitted`, {
    hint: `raise that row's tokens_per_minute to your account's tier, or lower the lane's max_output_tokens ('${command(['lanes', 'set', lane.slug, '--max-output-tokens', 'N'])}')`,
  });
}
