import { setMaxListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultQueue } from './faults.ts';
import type { Fault, StatusFault } from './faults.ts';
import { NO_CACHE_USE, PrefixCache } from './prefixCache.ts';
import type { CachePrefix, CacheUse } from './prefixCache.ts';
import { SlidingWindowLimiter } from './rateLimit.ts';
import type { RateLimitVerdict } from './rateLimit.ts';
import { copyStats, emptyStats, RequestLog } from './stats.ts';
import type { FakeServer, FakeServerOptions, FakeStats } from './types.ts';

/** A complete HTTP answer; streaming answers carry their whole event stream in `body`. */
export interface Reply {
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: string;
}

/** Body text that is not JSON. */
export class MalformedBody {
  constructor(readonly text: string) {}
}

export interface Exchange {
  readonly index: number;
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON; undefined when empty; MalformedBody when not JSON. */
  readonly body: unknown;
}

/** Server-wide state a provider handler may use. */
export interface FakeContext<O extends FakeServerOptions> {
  readonly options: O;
  /** Admits a request of `inputTokens` asking for up to `outputTokens`; undefined when no rate limit is configured. */
  admit(inputTokens: number, outputTokens: number): RateLimitVerdict | undefined;
  /** See PrefixCache.use; counts into stats. */
  useCache(lookups: readonly CachePrefix[], stores: readonly CachePrefix[]): CacheUse;
}

/** The protocol half of a fake: what to answer, and how that provider words an injected error. */
export interface Provider<O extends FakeServerOptions> {
  handle(exchange: Exchange, context: FakeContext<O>): Reply | Promise<Reply>;
  statusReply(fault: StatusFault, exchange: Exchange): Reply;
}

/** Start an HTTP server on 127.0.0.1:0 that runs faults, latency and bookkeeping around `provider`. */
export async function startFake<O extends FakeServerOptions>(provider: Provider<O>, initial: O): Promise<FakeServer<O>> {
  let options: O = { ...initial };
  let cache = makeCache(options);
  let limiter = makeLimiter(options);
  let stats = emptyStats();
  const log = new RequestLog(options.record);
  const faults = new FaultQueue();
  const closing = new AbortController();
  // every delayed request listens for close; hundreds may wait at once
  setMaxListeners(0, closing.signal);
  const idPrefix = randomBytes(6).toString('hex');
  let sequence = 0;

  const context: FakeContext<O> = {
    get options() {
      return options;
    },
    admit: (inputTokens, outputTokens) => limiter?.admit(inputTokens, outputTokens),
    useCache: (lookups, stores) => {
      if (cache === undefined) return NO_CACHE_USE;
      const use = cache.use(lookups, stores);
      if (use.readTokens > 0) {
        stats.cacheReads++;
        stats.cachedTokens += use.readTokens;
      }
      if (use.writeTokens > 0) {
        stats.cacheWrites++;
        stats.cacheCreationTokens += use.writeTokens;
      }
      return use;
    },
  };

  const send = (res: ServerResponse, reply: Reply, counted: FakeStats): void => {
    if (isGone(res)) return;
    counted.byStatus[reply.status] = (counted.byStatus[reply.status] ?? 0) + 1;
    if (reply.status === 429) counted.rateLimited++;
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  };

  const exchangeOf = (req: IncomingMessage, index: number, text: string): Exchange => ({
    index,
    requestId: `req_${idPrefix}${(sequence++).toString(16).padStart(10, '0')}`,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headers,
    body: parseBody(text),
  });

  const serve = async (req: IncomingMessage, res: ServerResponse, index: number, text: string): Promise<void> => {
    const counted = stats;
    const exchange = exchangeOf(req, index, text);
    if (log.enabled) {
      const body = exchange.body instanceof MalformedBody ? exchange.body.text : exchange.body;
      log.add({ index, method: exchange.method, path: exchange.path, headers: exchange.headers, body });
    }
    const fault: Fault | undefined = faults.next(index, exchange.body, options.faultFor);
    if (fault !== undefined) {
      counted.faults[fault.kind]++;
      if (fault.kind === 'reset') return void req.socket.destroy();
      if (fault.kind === 'hang') return;
      if (fault.kind === 'delay' && !(await pause(fault.ms, closing.signal))) return;
    }
    const latency = typeof options.latencyMs === 'function' ? options.latencyMs(index, exchange.body) : options.latencyMs;
    if (latency !== undefined && latency > 0 && !(await pause(latency, closing.signal))) return;
    if (isGone(res)) return;
    if (fault?.kind === 'status') return send(res, provider.statusReply(fault, exchange), counted);
    let reply: Reply;
    try {
      reply = await provider.handle(exchange, context);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = provider.statusReply({ kind: 'status', status: 500, message }, exchange);
    }
    if (fault?.kind === 'truncate') return sendHalf(res, reply, true);
    if (fault?.kind === 'stall') return sendHalf(res, reply, false);
    send(res, reply, counted);
  };

  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    const index = stats.requests++;
    if (++inFlight > maxInFlight) maxInFlight = inFlight;
    res.once('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      serve(req, res, index, text).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get stats() {
      return { ...copyStats(stats), inFlight, maxInFlight };
    },
    get requests() {
      return log.items();
    },
    inject: (fault, count = 1) => faults.push(fault, count),
    configure: (patch) => {
      options = { ...options, ...patch };
      if ('cache' in patch) cache = makeCache(options);
      if ('rateLimit' in patch) limiter = makeLimiter(options);
      if ('record' in patch) log.setRecord(options.record);
    },
    reset: () => {
      stats = emptyStats();
      maxInFlight = inFlight;
      log.clear();
      faults.clear();
      cache?.clear();
      limiter?.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return new MalformedBody(text);
  }
}

/** Sleep unless the server closes first; false means give up on this request. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** The client hung up, or the server destroyed the socket. */
function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.socket === null || res.socket.destroyed;
}

/** Half the body, then a destroyed socket (`cut`) or silence until the client leaves or the server closes. */
function sendHalf(res: ServerResponse, reply: Reply, cut: boolean): void {
  if (isGone(res)) return;
  const full = Buffer.from(reply.body, 'utf8');
  const headers = { ...reply.headers };
  if (!isStreamed(headers)) headers['content-length'] = String(full.length);
  res.writeHead(reply.status, headers);
  res.write(full.subarray(0, Math.floor(full.length / 2)), () => {
    if (cut) res.socket?.destroy();
  });
}

/** SSE and NDJSON replies go out chunked, so cutting them shows up mid-stream. */
function isStreamed(headers: OutgoingHttpHeaders): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && !type.startsWith('application/json');
}

function makeCache(options: FakeServerOptions): PrefixCache | undefined {
  return options.cache ? new PrefixCache(options.cache) : undefined;
}

function makeLimiter(options: FakeServerOptions): SlidingWindowLimiter | undefined {
  return options.rateLimit ? new SlidingWindowLimiter(options.rateLimit) : undefined;
}

/** A JSON reply with the given extra headers. */
export function jsonReply(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

/** A JSON object from a parsed body, or undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  return isObject && !(value instanceof MalformedBody) ? (value as Record<string, unknown>) : undefined;
}

/** Split text the way token streams arrive: word by word, whitespace attached. */
export function splitForStream(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
