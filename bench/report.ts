/** Peak resident set size of this process so far, in MB (Linux VmHWM; falls back to current RSS). */
export async function peakRssMb(): Promise<number> {
  try {
    const { readFileSync } = await import('node:fs');
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match !== null) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Prints a benchmark's closing JSON line: {"bench", "figures", "targets", "pass"}. */
export function reportBench(bench: string, figures: Record<string, number | string>, targets: Record<string, string>, pass: boolean): void {
  process.stdout.write(JSON.stringify({ bench, figures, targets, pass }) + '\n');
}
