import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readGitCommit } from '../../core/provenance.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SHA = 'a'.repeat(40);
const test = suite('readGitCommit');

test('a clone: HEAD names a branch whose ref is loose or packed; a detached HEAD is the commit', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${SHA}\n`);
    assert.is(readGitCommit(dir), SHA);
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/packed\n');
    writeFileSync(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled\n${'b'.repeat(40)} refs/heads/packed\n`);
    assert.is(readGitCommit(dir), 'b'.repeat(40));
    writeFileSync(join(dir, '.git', 'HEAD'), `${'c'.repeat(40)}\n`);
    assert.is(readGitCommit(dir), 'c'.repeat(40));
  } finally {
    cleanup();
  }
});

test('a git worktree: .git is a file naming its git dir, whose refs live in the common dir', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    const common = join(dir, 'main', '.git');
    const own = join(common, 'worktrees', 'wt');
    mkdirSync(join(common, 'refs', 'heads'), { recursive: true });
    mkdirSync(own, { recursive: true });
    mkdirSync(join(dir, 'wt'));
    writeFileSync(join(dir, 'wt', '.git'), `gitdir: ${own}\n`);
    writeFileSync(join(own, 'HEAD'), 'ref: refs/heads/feature\n');
    writeFileSync(join(own, 'commondir'), '../..\n');
    writeFileSync(join(common, 'refs', 'heads', 'feature'), `${SHA}\n`);
    assert.is(readGitCommit(join(dir, 'wt')), SHA);
  } finally {
    cleanup();
  }
});

test('not a checkout: null', () => {
  const { dir, cleanup } = makeTempDir();
  try {
    assert.is(readGitCommit(dir), null);
  } finally {
    cleanup();
  }
});

test.run();
