import { readFileSync } from 'node:fs';
import { Memo } from '../../lib/memo.ts';

/**
 * Prompt templates live in `templates/<name>.txt`, one file per task, split
 * into sections by `--- section ---` lines. `{{slot}}` marks a value. Each
 * file is read and compiled once, so rendering is string joins only.
 */
const SECTION = /^--- ([a-z][a-z0-9-]*) ---$/gm;
const SLOT = /\{\{([a-z_]+)\}\}/g;
const TEMPLATE_DIR = new URL('./templates/', import.meta.url);

export interface Section {
  readonly name: string;
  readonly slots: readonly string[];
  render(values: Readonly<Record<string, string>>): string;
}

function compileSection(file: string, name: string, text: string): Section {
  const literals: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of text.matchAll(SLOT)) {
    literals.push(text.slice(last, m.index));
    slots.push(m[1]);
    last = m.index + m[0].length;
  }
  literals.push(text.slice(last));
  return {
    name,
    slots,
    render(values) {
      let out = literals[0];
      for (let i = 0; i < slots.length; i++) {
        const value = values[slots[i]];
        if (value === undefined) throw new Error(`template ${file} [${name}]: no value for {{${slots[i]}}}`);
        out += value + literals[i + 1];
      }
      return out;
    },
  };
}

/** Parses a sectioned template text; exported for tests. */
export function compileTemplate(file: string, text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  const heads = [...text.matchAll(SECTION)];
  if (heads.length === 0) throw new Error(`template ${file} has no '--- section ---' headers`);
  heads.forEach((head, i) => {
    const start = head.index + head[0].length + 1;
    const end = i + 1 < heads.length ? heads[i + 1].index : text.length;
    const body = text.slice(Math.min(start, end), end).replace(/\n+$/, '');
    if (sections.has(head[1])) throw new Error(`template ${file}: section ${head[1]} appears twice`);
    sections.set(head[1], compileSection(file, head[1], body));
  });
  return sections;
}

/**
 * The compiled templates, by file: a process-wide Memo, since the files ship with the code and are read-only
 * (a changed template takes a new process, as changed code does), so every task and run may share them.
 */
const compiled = new Memo<string, Map<string, Section>>();

/** The named section of `templates/<file>.txt`, compiled once. */
export function templateSection(file: string, section: string): Section {
  const sections = compiled.get(file) ?? compiled.set(file, compileTemplate(file, readFileSync(new URL(`${file}.txt`, TEMPLATE_DIR), 'utf8')));
  const found = sections.get(section);
  if (found === undefined) throw new Error(`template ${file}.txt has no section ${section}`);
  return found;
}
