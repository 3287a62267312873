import { stringify } from 'yaml';
import { InputError } from '../../lib/errors.ts';
import { readYamlFile } from '../../lib/yamlFile.ts';
import type { Lane } from '../../core/lane.ts';
import { parseLane } from './parse.ts';

/** Reads a roster of lanes from YAML or JSON (`{lanes: [...]}` or a bare list); errors name file, line and field. */
export async function readLaneFile(path: string): Promise<Lane[]> {
  const file = await readYamlFile(path, 'lane file');
  const value = file.value;
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
      throw error instanceof InputError ? file.locate(error) : error;
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
