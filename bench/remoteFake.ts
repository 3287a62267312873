import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FakeOpenAIOptions } from '../test/fakes/index.ts';

export interface RemoteFake {
  url: string;
  stats(): Promise<{ requests: number; rateLimited: number; cacheReads: number }>;
  close(): Promise<void>;
}

/** Starts bench/fakeProcess.ts in a child process and talks to it over stdin/stdout. */
export async function startRemoteFake(options: FakeOpenAIOptions): Promise<RemoteFake> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fakeProcess.ts', import.meta.url)), JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const { value, done } = await lines.next();
    if (done === true) throw new Error('fake server process ended');
    return value as string;
  };
  const { url } = JSON.parse(await next()) as { url: string };
  return {
    url,
    async stats() {
      child.stdin.write('stats\n');
      return JSON.parse(await next()) as { requests: number; rateLimited: number; cacheReads: number };
    },
    async close() {
      child.stdin.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
