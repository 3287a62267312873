import { createHash } from 'node:crypto';

/** One SDK client per base URL and key, so every request to an endpoint reuses its keep-alive connections. */
export class ClientCache<C> {
  readonly #clients = new Map<string, C>();

  get(baseURL: string, apiKey: string | null, create: () => C): C {
    // The key is hashed so the cache's own keys never hold a secret.
    const id = `${baseURL}\u0000${apiKey === null ? '' : createHash('sha256').update(apiKey).digest('hex')}`;
    let client = this.#clients.get(id);
    if (client === undefined) {
      client = create();
      this.#clients.set(id, client);
    }
    return client;
  }

  clear(): void {
    this.#clients.clear();
  }
}
