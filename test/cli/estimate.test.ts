import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { makeTempDir } from '../helpers/tmp.ts';

const SUITE = fileURLToPath(new URL('../../suites/demo-mcq.jsonl', import.meta.url));
const estimate = suite('audition estimate');

estimate('a model without a price is named and costs n/a (null in --json), never $0', () => {
  const runs = makeTempDir();
  try {
    const at = ['--runs-dir', runs.dir];
    assert.is(runCli(['lanes', 'add', '--alias', 'u', '--provider', 'openai', '--model', 'gpt-unpriced-x', '--temperature', '0.5', '--max-output-tokens', '100', ...at]).code, 0);
    const text = runCli(['estimate', '--suite', SUITE, '--limit', '3', '--lane', 'u.t0-5', ...at]);
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, /u\.t0-5 .* n\/a\s+n\/a/);
    assert.match(text.stderr, 'no price for gpt-unpriced-x (lanes u.t0-5): cost n/a');
    const json = JSON.parse(runCli(['estimate', '--suite', SUITE, '--limit', '3', '--lane', 'u.t0-5', '--json', ...at]).stdout) as Record<string, unknown>;
    assert.equal([json['model'], json['cost_usd'], json['batch_cost_usd']], ['gpt-unpriced-x', null, null]);
  } finally {
    runs.cleanup();
  }
});

estimate.run();
