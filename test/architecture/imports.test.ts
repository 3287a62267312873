// The layers import downwards only, and no module imports itself back through others (docs/architecture.md, Folders).
import { readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, SOURCE_ROOTS, listSources } from '../helpers/sources.ts';

/** What each layer may import besides itself; `reports` reads analysis's row types only (type imports). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  lib: [],
  core: ['lib'],
  'pipelines/suites': ['lib', 'core'],
  'pipelines/runlog': ['lib', 'core'],
  'pipelines/lanes': ['lib', 'core', 'pipelines/runlog'],
  'pipelines/providers': ['lib', 'core'],
  'pipelines/tasks': ['lib', 'core', 'pipelines/suites'],
  'pipelines/runner': ['lib', 'core', 'pipelines/suites', 'pipelines/runlog', 'pipelines/lanes', 'pipelines/providers', 'pipelines/tasks'],
  analysis: ['lib', 'core', 'pipelines/runlog', 'pipelines/lanes', 'reports'],
  reports: ['lib', 'core'],
  bin: ['lib', 'core', 'pipelines/suites', 'pipelines/runlog', 'pipelines/lanes', 'pipelines/providers', 'pipelines/tasks', 'pipelines/runner', 'analysis', 'reports'],
};
const TYPE_ONLY_ALLOWED: Readonly<Record<string, readonly string[]>> = { reports: ['analysis'] };

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function readEdges(file: string): Edge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const edges: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[3] ?? m[4];
    if (specifier === undefined || !specifier.startsWith('.')) continue;
    edges.push({ from: file, to: normalize(join(dirname(file), specifier)), typeOnly: m[2] !== undefined });
  }
  return edges;
}

function layerOf(file: string): string {
  const [top, second] = relative('.', file).split('/');
  return top === 'pipelines' ? `pipelines/${second}` : top;
}

const files = SOURCE_ROOTS.flatMap(listSources);
const edges = files.flatMap(readEdges);

const test = suite('imports');

test('every layer imports only the layers below it', () => {
  const wrong = edges.filter((e) => {
    const [from, to] = [layerOf(e.from), layerOf(e.to)];
    if (from === to) return false;
    if ((ALLOWED[from] ?? []).includes(to)) return false;
    return !(e.typeOnly && (TYPE_ONLY_ALLOWED[from] ?? []).includes(to));
  });
  assert.equal(wrong.map((e) => `${e.from} → ${e.to}`), []);
});

test('no module imports itself back (no runtime import cycles)', () => {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...path.slice(path.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const to of next.get(file) ?? []) visit(to, [...path, file]);
    state.set(file, 'done');
  };
  for (const file of files) visit(file, []);
  assert.equal(cycles, []);
});

test('the check sees the code: it finds the imports and would flag a sideways one', () => {
  assert.ok(edges.length > 300, `${edges.length} imports read`);
  assert.ok(edges.some((e) => e.from === 'pipelines/runner/engine.ts' && e.to.startsWith('core/')));
  assert.not.ok((ALLOWED['pipelines/providers'] ?? []).includes('pipelines/tasks'));
});

test.run();
