// No hidden module state (STYLE.md rule 15, docs/architecture.md "Owned state"): a cache, a limiter registry or a
// scratch buffer belongs to an object the caller creates and passes; the environment comes in as a parameter.
// This reads the source as text, like imports.test.ts, so a new module-level holder fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, SOURCE_ROOTS, listSources } from '../helpers/sources.ts';

/**
 * What may stay, by `file: name`, and why. Memo (lib/memo.ts) needs no entry: it is the documented form of a pure
 * memo of immutable inputs. Keep this list short; prefer an object the caller owns.
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'bin/audition.mjs: process.env': 'the one place the process environment is read; everything below gets it as a parameter',
  'bin/audition.mjs: process.exitCode': 'the bin reports the exit code main() returns',
};

/** Immutable or stateless classes a module may construct at load. */
const IMMUTABLE_CLASSES: ReadonlySet<string> = new Set(['URL', 'RegExp', 'Memo', 'TextEncoder', 'TextDecoder', 'Intl.Segmenter']);

interface Holder {
  file: string;
  line: number;
  name: string;
  why: string;
}

const DECLARATION = /^(?:export )?(const|let|var) (\w+)(?:\s*:\s*([^=]+?))?\s*=\s*(.*)$/;

/** The module-level mutable holders, global patches and environment reads in one file's text. */
function findHolders(file: string, text: string): Holder[] {
  const found: Holder[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const code = raw.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(raw)) return;
    const declaration = DECLARATION.exec(code);
    if (declaration !== null) {
      const [, keyword, name, type = '', value] = declaration;
      const constructed = /^new ([\w.]+)/.exec(value)?.[1];
      if (keyword !== 'const') found.push({ file, line, name, why: `module-level ${keyword}` });
      else if (/^(\[\]|\{\})/.test(value)) found.push({ file, line, name, why: 'an empty module-level collection' });
      else if (constructed !== undefined && !IMMUTABLE_CLASSES.has(constructed)) {
        const readonlyCollection = /^(Set|Map)$/.test(constructed) && /^Readonly(Set|Map)</.test(type.trim()) && /^new \w+(<[^>]*>)?\(\[/.test(value);
        if (!readonlyCollection) found.push({ file, line, name, why: `a module-level new ${constructed}${/^(Set|Map)$/.test(constructed) ? ' (a constant one is typed Readonly' + constructed + ')' : ''}` });
      }
    }
    const statics = /^\s+(?:(?:private|protected|public) )?static (?!readonly\b)(?!async\b)(\w+)\s*[:=]/.exec(code);
    if (statics !== null) found.push({ file, line, name: statics[1], why: 'a static field that is not readonly' });
    for (const patch of code.matchAll(/\b((?:console|process|globalThis|Math|JSON|Date|Promise)(?:\.\w+|\[[^\]]+\])+)\s*=(?!=)/g)) found.push({ file, line, name: patch[1], why: 'an assignment to a global' });
    if (/\bprocess\.env\b/.test(code)) found.push({ file, line, name: 'process.env', why: 'reads the process environment instead of the env it is given' });
  });
  return found;
}

const test = suite('module state');

test('no module holds mutable state, patches a global or reads process.env, outside the allow-list', () => {
  const holders = SOURCE_ROOTS.flatMap(listSources).flatMap((file) => findHolders(file, readFileSync(join(ROOT, file), 'utf8')));
  const unexpected = holders.filter((h) => ALLOWED[`${h.file}: ${h.name}`] === undefined).map((h) => `${h.file}:${h.line} ${h.name}: ${h.why}`);
  assert.equal(unexpected, []);
  const stale = Object.keys(ALLOWED).filter((key) => !holders.some((h) => `${h.file}: ${h.name}` === key));
  assert.equal(stale, [], 'an allow-list entry whose holder is gone');
});

test('the check sees the code: it flags each kind of holder and lets constants, memos and readonly tables be', () => {
  const flagged = (text: string): string[] => findHolders('x.ts', text).map((h) => h.name);
  assert.equal(flagged('let cached: Provenance | null = null;'), ['cached']);
  assert.equal(flagged('const limiters = new Map<string, SlidingWindowLimiter>();'), ['limiters']);
  assert.equal(flagged('const byItem = new WeakMap<McqItem, Prepared>();'), ['byItem']);
  assert.equal(flagged('const scopes = new AsyncLocalStorage<RequestScope>();'), ['scopes']);
  assert.equal(flagged('export let diffs = new Float64Array(0);'), ['diffs']);
  assert.equal(flagged('const pending: string[] = [];'), ['pending']);
  assert.equal(flagged('const CODES = new Set([\'ECONNRESET\']);'), ['CODES'], 'a constant Set says so in its type');
  assert.equal(flagged('  console.warn = (...args: unknown[]): void => {'), ['console.warn']);
  assert.equal(flagged("  process.env['OPENAI_API_KEY'] = 'sk';"), ["process.env['OPENAI_API_KEY']", 'process.env']);
  assert.equal(flagged("  const user = process.env['USER'];"), ['process.env']);
  assert.equal(flagged('  private static count = 0;'), ['count']);
  assert.equal(flagged([
    "const CODES: ReadonlySet<string> = new Set(['ECONNRESET']);",
    "const DIR = new URL('./templates/', import.meta.url);",
    'const compiled = new Memo<string, Section>();',
    'export const RUN_DEFAULTS = { replicates: 1 } as const;',
    '  private readonly limiters = new Map<string, SlidingWindowLimiter>();',
    '  static readonly NAME = "x";',
    '  if (a == b) return;',
    '// process.env is read once, in bin/audition.mjs',
    ' * a comment that mentions process.env',
  ].join('\n')), []);
});

test.run();

const tmp = suite('makeTempDir');

/** Lines calling a temp dir's cleanup() outside a finally block or an after hook: a failing assertion would skip them. */
function cleanupsOutsideFinally(file: string, text: string): string[] {
  const lines = text.split('\n');
  const indent = (l: string): number => /^ */.exec(l)?.[0].length ?? 0;
  return lines.flatMap((line, i) => {
    if (!/^\s*(\w+\.)?cleanup\(\);/.test(line)) return [];
    for (let j = i - 1; j >= 0; j--) {
      if (lines[j].trim() === '' || indent(lines[j]) >= indent(line)) continue;
      return /\bfinally\s*\{\s*$/.test(lines[j]) || /\.after(\.each)?\(/.test(lines[j]) ? [] : [`${file}:${i + 1}`];
    }
    return [`${file}:${i + 1}`];
  });
}

tmp('every test removes the temp dirs it makes in finally (or an after hook), pass or fail', () => {
  const tests = listSources('test').filter((f) => f.endsWith('.ts'));
  assert.equal(tests.flatMap((file) => cleanupsOutsideFinally(file, readFileSync(join(ROOT, file), 'utf8'))), []);
  assert.equal(cleanupsOutsideFinally('x.ts', '  const { dir, cleanup } = makeTempDir();\n  run(dir);\n  cleanup();'), ['x.ts:3'], 'the check sees a cleanup a failure would skip');
});

tmp.run();
