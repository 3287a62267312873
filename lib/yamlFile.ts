import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { CliError, InputError } from './errors.ts';

/** Turns `lanes[3].dials.temperature` into the YAML path ['lanes', 3, 'dials', 'temperature']. */
function toPath(field: string): (string | number)[] {
  return [...field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/** A parsed YAML (or JSON) file that can tell on which line a field stands. */
export interface YamlFile {
  path: string;
  value: unknown;
  /** The same error with the line of its field (or of the nearest parent that exists) added. */
  locate(error: InputError): InputError;
}

/** Reads and parses a YAML/JSON file (`what` names it in errors, e.g. "lane file"); syntax errors name the line. */
export async function readYamlFile(path: string, what: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path}: ${(error as Error).message}`, { hint: 'check the path' });
  }
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new InputError({ file: path, line: first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line }, `not valid YAML/JSON: ${first.message.split('\n')[0]}`);
  }
  const locate = (error: InputError): InputError => {
    if (error.where.field === undefined || error.where.line !== undefined) return error;
    let path = toPath(error.where.field);
    let node: unknown = undefined;
    while (path.length > 0 && (node = doc.getIn(path, true)) === undefined) path = path.slice(0, -1);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range === undefined ? error : new InputError({ ...error.where, line: lineCounter.linePos(range[0]).line }, error.problem, error.hint);
  };
  return { path, value: doc.toJS(), locate };
}
