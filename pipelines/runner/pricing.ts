import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../lib/errors.ts';
import { Fields } from '../../lib/fields.ts';
import type { Lane } from '../../core/lane.ts';
import type { TokenCounts } from '../../core/tokens.ts';

export interface ModelPrice {
  /** USD per 1M uncached input tokens. */
  input: number;
  cached_input: number;
  cache_write: number;
  output: number;
  batch_discount: number;
}

export interface PriceTable {
  as_of: string;
  models: Map<string, ModelPrice>;
}

export const DEFAULT_PRICES_FILE = fileURLToPath(new URL('../../config/prices.json', import.meta.url));

/** Reads the dated price table (config/prices.json). */
export function readPriceTable(path: string = DEFAULT_PRICES_FILE): PriceTable {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError({ file: path }, `cannot read the price table: ${(error as Error).message}`);
  }
  const f = new Fields(raw, { file: path });
  const models = f.object('models');
  const table: PriceTable = { as_of: f.string('as_of'), models: new Map() };
  for (const name of Object.keys(models.value)) {
    const m = models.object(name);
    const input = m.number('input', { min: 0 });
    table.models.set(name, {
      input,
      cached_input: m.number('cached_input', { optional: true, min: 0 }) ?? input,
      cache_write: m.number('cache_write', { optional: true, min: 0 }) ?? input,
      output: m.number('output', { min: 0 }),
      batch_discount: m.number('batch_discount', { optional: true, min: 0, max: 1 }) ?? 0,
    });
  }
  return table;
}

/** The price of a lane's model (longest prefix match); local models are free; null when unknown. */
export function findPrice(table: PriceTable, lane: Lane): ModelPrice | null {
  if (lane.provider === 'ollama' || lane.backend === 'vllm') return { input: 0, cached_input: 0, cache_write: 0, output: 0, batch_discount: 0 };
  let best: [string, ModelPrice] | null = null;
  for (const entry of table.models) {
    if (lane.model.startsWith(entry[0]) && (best === null || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1] ?? null;
}

/**
 * Cost in USD of one request's tokens. `tokens.prompt` counts every input token,
 * including the cached-read and cache-write ones, which are priced apart.
 */
export function costOf(price: ModelPrice, tokens: TokenCounts, options: { batch?: boolean } = {}): number {
  const uncached = Math.max(0, tokens.prompt - tokens.cached_read - tokens.cache_write);
  const usd = (uncached * price.input + tokens.cached_read * price.cached_input + tokens.cache_write * price.cache_write + tokens.completion * price.output) / 1_000_000;
  return options.batch === true ? usd * (1 - price.batch_discount) : usd;
}
