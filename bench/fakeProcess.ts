// A fake provider server in its own process, as a real provider is remote: its CPU
// does not compete with the engine under test. Reads one JSON line of options on
// argv; prints its URL; answers "stats" on stdin with a JSON line; exits on EOF.
import { createInterface } from 'node:readline';
import { startFakeOpenAI, type FakeOpenAIOptions } from '../test/fakes/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as FakeOpenAIOptions;
const fake = await startFakeOpenAI({ ...options, record: false });
process.stdout.write(JSON.stringify({ url: fake.url }) + '\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'stats') process.stdout.write(JSON.stringify(fake.stats) + '\n');
}
await fake.close();
