import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../lib/errors.ts';
import type { Lane } from '../../core/lane.ts';
import type { RateLimit } from './rateLimiter.ts';

export interface LimitRow extends RateLimit {
  provider: string;
  model: string;
}

export const DEFAULT_LIMITS_FILE = fileURLToPath(new URL('../../docs/api_limits.md', import.meta.url));

/** Parses the Markdown limits table (docs/api_limits.md is the one source). */
export function parseLimitsTable(text: string, file: string): LimitRow[] {
  const rows: LimitRow[] = [];
  let header: string[] | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line.startsWith('|')) return;
    const cells = line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((c) => c.trim());
    if (header === null) {
      header = cells.map((c) => c.toLowerCase());
      for (const need of ['provider', 'model', 'requests_per_minute', 'tokens_per_minute']) {
        if (!header.includes(need)) throw new InputError({ file, line: index + 1 }, `the limits table needs a "${need}" column`);
      }
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
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
    if (cells.length > 0 && (header as string[]).includes('window_ms')) {
      const w = number('window_ms');
      if (w !== undefined) row.windowMs = w;
    }
    rows.push(row);
  });
  return rows;
}

export async function readLimitsFile(path: string = DEFAULT_LIMITS_FILE): Promise<LimitRow[]> {
  return parseLimitsTable(await readFile(path, 'utf8'), path);
}

/** The provider key a lane is limited under: `openai-compatible/<backend>` for compatible servers. */
export function limitProviderKey(lane: Lane): string {
  return lane.provider === 'openai-compatible' ? `openai-compatible/${lane.backend ?? 'generic'}` : lane.provider;
}

/** The row for a lane: same provider, longest matching model prefix, `*` last. */
export function findLimit(rows: readonly LimitRow[], lane: Lane): LimitRow | null {
  const provider = limitProviderKey(lane);
  const candidates = rows.filter((r) => r.provider === provider && (r.model === '*' || lane.model.startsWith(r.model)));
  candidates.sort((a, b) => (b.model === '*' ? -1 : b.model.length) - (a.model === '*' ? -1 : a.model.length));
  return candidates[0] ?? null;
}
