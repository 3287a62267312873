import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Memo } from '../lib/memo.ts';
import type { Provenance } from './record.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The git directory of the checkout (a worktree's `.git` is a file naming it) and the one its refs live in. */
function gitDirs(root: string): { own: string; common: string } {
  const dotGit = join(root, '.git');
  if (!statSync(dotGit).isFile()) return { own: dotGit, common: dotGit };
  const own = resolve(root, readFileSync(dotGit, 'utf8').replace(/^gitdir:\s*/, '').trim());
  try {
    return { own, common: resolve(own, readFileSync(join(own, 'commondir'), 'utf8').trim()) };
  } catch {
    return { own, common: own };
  }
}

/** The commit checked out at `root` (a clone or a git worktree), or null when it is not a git checkout. */
export function readGitCommit(root: string = ROOT): string | null {
  try {
    const { own, common } = gitDirs(root);
    const head = readFileSync(join(own, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return readFileSync(join(common, ref), 'utf8').trim();
    } catch {
      const packed = readFileSync(join(common, 'packed-refs'), 'utf8');
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
