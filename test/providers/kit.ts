import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Lane } from '../../core/lane.ts';
import { ProviderError, type ChatRequest, type ChatResponse, type ProviderAdapter, type SendOptions } from '../../core/chat.ts';
import type { FakeServer } from '../fakes/index.ts';

/** A shared prefix long enough for both providers' 1024-token cache minimum (the fakes count chars / 4). */
export const LONG_CONTEXT = 'Passage: the committee met twice and approved the budget after a long debate. '.repeat(60);

/** A lane with the fields every test needs; `extra` sets provider, model, dials … */
export function makeLane(extra: Partial<Lane> & Pick<Lane, 'provider' | 'model'>): Lane {
  return { slug: `${extra.provider}.test`, alias: 'test', dials: {}, active: true, visible: true, ...extra };
}

/** Sends with a fresh signal and a generous timeout unless told otherwise. */
export function send(adapter: ProviderAdapter, lane: Lane, request: ChatRequest, options: Partial<SendOptions> = {}): Promise<ChatResponse> {
  return adapter.send(lane, request, { signal: options.signal ?? new AbortController().signal, timeoutMs: options.timeoutMs ?? 5000 });
}

/** The ProviderError a send rejects with; fails if it resolves or throws anything else. */
export async function sendError(adapter: ProviderAdapter, lane: Lane, request: ChatRequest, options: Partial<SendOptions> = {}): Promise<ProviderError> {
  try {
    await send(adapter, lane, request, options);
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw new Error(`expected a ProviderError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  throw new Error('expected the send to fail, but it succeeded');
}

/** A bare HTTP server that answers every request with one status and body: a server that is not what it claims. */
export async function startRawServer(status: number, body: string, contentType = 'application/json'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export const ASK: ChatRequest = { messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: 'What is 2+2?' }] };

/** What a fault suite needs: a fake, an adapter pointed at it, and the key the adapter sends. */
export interface Harness {
  server: FakeServer;
  adapter: ProviderAdapter;
  lane: Lane;
  apiKey: string;
  close(): Promise<void>;
}

/**
 * The error-classification cases every adapter must pass, driven through the real SDK against its fake:
 * status codes, Retry-After, timeouts, cut connections, refused connections, caller aborts, and no
 * secret in any message.
 */
export function faultSuite(name: string, start: () => Promise<Harness>): void {
  const test = suite<{ h: Harness }>(name, {} as { h: Harness });
  test.before.each(async (context) => {
    context.h = await start();
  });
  test.after.each(async (context) => {
    await context.h.close();
  });

  const expectKind = async (h: Harness, kind: string, request: ChatRequest = ASK, options: Partial<SendOptions> = {}): Promise<ProviderError> => {
    const error = await sendError(h.adapter, h.lane, request, options);
    assert.is(error.kind, kind, `${error.kind}: ${error.message}`);
    assert.not.ok(error.message.includes(h.apiKey), 'the key is not in the message');
    return error;
  };

  test('429 with retry-after-ms → rate_limit with retryAfterMs', async ({ h }) => {
    h.server.inject({ kind: 'status', status: 429, retryAfterMs: 250 });
    const error = await expectKind(h, 'rate_limit');
    assert.is(error.httpStatus, 429);
    assert.is(error.retryAfterMs, 250);
    assert.ok(error.retryable);
  });

  test('429 with retry-after in seconds → rate_limit with retryAfterMs', async ({ h }) => {
    h.server.inject({ kind: 'status', status: 429, retryAfterSeconds: 3 });
    const error = await expectKind(h, 'rate_limit');
    assert.is(error.retryAfterMs, 3000);
  });

  test('500, 502, 503 and 529 → server, retryable', async ({ h }) => {
    for (const status of [500, 502, 503, 529]) {
      h.server.inject({ kind: 'status', status });
      const error = await expectKind(h, 'server');
      assert.is(error.httpStatus, status);
      assert.ok(error.retryable);
    }
  });

  test('401 and 403 → auth; 400, 404 and 422 → invalid_request; none retryable', async ({ h }) => {
    for (const [status, kind] of [[401, 'auth'], [403, 'auth'], [400, 'invalid_request'], [404, 'invalid_request'], [422, 'invalid_request']] as const) {
      h.server.inject({ kind: 'status', status });
      const error = await expectKind(h, kind);
      assert.is(error.httpStatus, status);
      assert.not.ok(error.retryable);
    }
  });

  test('402 Payment Required → quota, not retryable', async ({ h }) => {
    h.server.inject({ kind: 'status', status: 402 });
    const error = await expectKind(h, 'quota');
    assert.is(error.httpStatus, 402);
    assert.not.ok(error.retryable);
  });

  test('a hung request past timeoutMs → timeout', async ({ h }) => {
    h.server.inject({ kind: 'hang' });
    const started = Date.now();
    const error = await expectKind(h, 'timeout', ASK, { timeoutMs: 200 });
    assert.ok(Date.now() - started < 2000, 'gave up at the deadline');
    assert.is(error.httpStatus, null);
    assert.ok(error.retryable);
  });

  test('a streamed request past timeoutMs → timeout', async ({ h }) => {
    h.server.configure({ latencyMs: 1000 });
    await expectKind(h, 'timeout', { ...ASK, stream: true }, { timeoutMs: 200 });
  });

  test('a body or stream that stalls after the headers → timeout (SDK timeouts stop at the headers)', async ({ h }) => {
    for (const stream of [false, true]) {
      h.server.inject({ kind: 'stall' });
      const started = Date.now();
      await expectKind(h, 'timeout', { ...ASK, stream }, { timeoutMs: 300 });
      assert.ok(Date.now() - started < 2000, 'gave up at the deadline');
    }
  });

  test('a truncated body or stream, and a reset connection → network', async ({ h }) => {
    h.server.inject({ kind: 'truncate' });
    await expectKind(h, 'network');
    h.server.inject({ kind: 'truncate' });
    await expectKind(h, 'network', { ...ASK, stream: true });
    h.server.inject({ kind: 'reset' });
    const reset = await expectKind(h, 'network');
    assert.ok(reset.retryable);
  });

  test('a refused connection → network', async ({ h }) => {
    await h.server.close();
    await expectKind(h, 'network');
  });

  test('the caller aborting → aborted, not retried', async ({ h }) => {
    h.server.inject({ kind: 'hang' });
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('run stopped')), 50);
    const error = await expectKind(h, 'aborted', ASK, { signal: caller.signal });
    assert.not.ok(error.retryable);
  });

  test('an error message that echoes the key comes back redacted', async ({ h }) => {
    h.server.inject({ kind: 'status', status: 400, message: `invalid key ${h.apiKey} for this model` });
    const error = await expectKind(h, 'invalid_request');
    assert.match(error.message, /\[redacted\]/);
  });

  test.run();
}
