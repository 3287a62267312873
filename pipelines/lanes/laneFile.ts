import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { CliError, InputError } from '../../lib/errors.ts';
import type { Lane } from './lane.ts';
import { parseLane } from './parse.ts';

/** Turns `lanes[3].dials.temperature` into the YAML path ['lanes', 3, 'dials', 'temperature']. */
function toPath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** Reads a roster of lanes from YAML or JSON (`{lanes: [...]}` or a bare list); errors name file, line and field. */
export async function readLaneFile(path: string): Promise<Lane[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read lane file ${path}: ${(error as Error).message}`, { hint: 'check the path' });
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new InputError({ file: path, line: e.linePos?.[0].line }, `not valid YAML/JSON: ${e.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  const listed = Array.isArray(value) ? { list: value, prefix: '' } : value !== null && typeof value === 'object' && Array.isArray((value as { lanes?: unknown }).lanes) ? { list: (value as { lanes: unknown[] }).lanes, prefix: 'lanes' } : null;
  if (listed === null) throw new InputError({ file: path, line: 1 }, 'expected a list of lanes or an object with a "lanes" list');
  const lanes: Lane[] = [];
  const seen = new Map<string, number>();
  listed.list.forEach((entry, i) => {
    const field = `${listed.prefix}[${i}]`;
    try {
      const lane = parseLane(entry, { file: path, field });
      const first = seen.get(lane.slug);
      if (first !== undefined) throw new InputError({ file: path, field }, `lane ${lane.slug} is listed twice (also at entry ${first})`, 'give one of them another alias or different dials');
      seen.set(lane.slug, i);
      lanes.push(lane);
    } catch (error) {
      if (error instanceof InputError && error.where.field !== undefined) {
        const node = doc.getIn(toPath(error.where.field), true) ?? doc.getIn(toPath(field), true);
        const range = (node as { range?: [number, number, number] } | undefined)?.range;
        if (range !== undefined) throw new InputError({ ...error.where, line: lineCounter.linePos(range[0]).line }, error.problem, error.hint);
      }
      throw error;
    }
  });
  return lanes;
}

/** The roster form of a lane: what a person versions in git (no timestamps). */
export function toRosterEntry(lane: Lane): Record<string, unknown> {
  const entry: Record<string, unknown> = { slug: lane.slug, alias: lane.alias, provider: lane.provider, model: lane.model };
  if (lane.backend !== undefined) entry['backend'] = lane.backend;
  if (lane.base_url !== undefined) entry['base_url'] = lane.base_url;
  if (lane.api_key_env !== undefined) entry['api_key_env'] = lane.api_key_env;
  entry['dials'] = lane.dials;
  entry['active'] = lane.active;
  entry['visible'] = lane.visible;
  if (lane.notes !== undefined) entry['notes'] = lane.notes;
  return entry;
}

/** Serialises lanes as a roster file in YAML or JSON. */
export function formatLaneFile(lanes: readonly Lane[], format: 'yaml' | 'json'): string {
  const body = { lanes: lanes.map(toRosterEntry) };
  return format === 'json' ? JSON.stringify(body, null, 2) + '\n' : stringify(body, { lineWidth: 0 });
}
