import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The folders of the product's own code, bottom layer to top. */
export const SOURCE_ROOTS = ['bin', 'core', 'lib', 'pipelines', 'analysis', 'reports'];

/** Every .ts and .mjs file below `dir` (relative to ROOT), as paths relative to ROOT. */
export function listSources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}
