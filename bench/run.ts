// Runs every bench/*.bench.ts (or the ones named) in its own process, so each one's peak RSS is its own.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  process.stderr.write(`\n── bench ${name} ──\n`);
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `${here}${name}.bench.ts`], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(result.stdout);
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  let pass = false;
  try {
    pass = (JSON.parse(last) as { pass?: boolean }).pass === true;
  } catch {
    process.stderr.write(`bench ${name} did not end with its JSON line\n`);
  }
  if (result.status !== 0 || !pass) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
