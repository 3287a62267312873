import { rmSync } from 'node:fs';

/**
 * The temp files a command is writing (a database built beside its target, say). bin/ creates one per command and
 * removes what is left synchronously when a second Ctrl-C ends the process at once, before any cleanup could run.
 */
export class TempFiles {
  readonly #paths = new Set<string>();

  /** Registers `path`, and returns it. */
  add(path: string): string {
    this.#paths.add(path);
    return path;
  }

  /** Forgets `path`: it was renamed into place or removed. */
  delete(path: string): void {
    this.#paths.delete(path);
  }

  /** Removes every registered file now, synchronously: safe in a signal handler right before the process exits. */
  removeAllSync(): void {
    for (const path of this.#paths) rmSync(path, { force: true, recursive: true });
    this.#paths.clear();
  }
}
