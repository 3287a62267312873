import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Memo } from '../lib/memo.ts';
import type { Provenance } from './record.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

function readGitCommit(): string | null {
  try {
    const head = readFileSync(`${ROOT}.git/HEAD`, 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return readFileSync(`${ROOT}.git/${ref}`, 'utf8').trim();
    } catch {
      const packed = readFileSync(`${ROOT}.git/packed-refs`, 'utf8');
      return packed.split('\n').find((l) => l.endsWith(` ${ref}`))?.split(' ')[0] ?? null;
    }
  } catch {
    return null;
  }
}

/**
 * A process-wide Memo: the version, commit, node and host describe the code this process loaded and where it
 * runs, which do not change while it runs (a commit made meanwhile is not the code running).
 */
const provenance = new Memo<'process', Provenance>();

/** Which audition, node and host wrote a log. */
export function currentProvenance(): Provenance {
  const known = provenance.get('process');
  if (known !== undefined) return known;
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
  return provenance.set('process', { audition_version: pkg.version, git_commit: readGitCommit(), node: process.version, host: hostname() });
}
