/**
 * The purge route, `POST /_purge`: how the editors' commands empty Workers
 * Cache of what a publish changed. Workers Cache is purged only from inside
 * the worker (`ctx.cache.purge`), and only for the entry point that calls it,
 * so the gateway checks the request and the cached entry point itself purges
 * (see `index.ts`).
 *
 * The request is signed with `PURGE_SECRET` (`content/purge-request.ts`).
 * Every answer is JSON and `no-store`. Tags go out in calls of at most 100,
 * Cloudflare's limit; a call that fails (Cloudflare allows 5 a minute, with
 * bursts of 25) stops the rest, and the answer names what was and was not
 * purged, so the CLI can say what to retry.
 */
import {
  PURGE_PATH, TAGS_PER_PURGE_CALL, MAX_PURGE_BODY_BYTES, verifyPurge, type PurgeBody,
} from '../content/purge-request.ts';
import { NO_STORE } from '../http/cache-headers.ts';

export { PURGE_PATH };

/** What `ctx.cache` offers for purging; absent where Workers Cache is not (locally, and in tests). */
export interface CachePurger {
  purge(options: { tags?: string[]; purgeEverything?: boolean }): Promise<{ success: boolean; errors: { code: number; message: string }[] }>;
}

/** What a purge did. `cache: 'absent'` means this worker runs without Workers Cache, so there was nothing to purge. */
export type PurgeOutcome =
  | { cache: 'absent' }
  | { cache: 'purged'; calls: number; tags: number; everything: boolean }
  | { cache: 'failed'; calls: number; purged: string[]; failed: string[]; error: string };

/** Purges Workers Cache of `body`'s tags, in calls of at most 100, stopping at the first that fails. */
export async function purgeWorkersCache(cache: CachePurger | undefined, body: PurgeBody): Promise<PurgeOutcome> {
  if (!cache) return { cache: 'absent' };
  const batches = 'everything' in body ? [null] : chunks(body.tags, TAGS_PER_PURGE_CALL);
  const purged: string[] = [];
  for (const [i, batch] of batches.entries()) {
    let error: string | undefined;
    try {
      const result = await cache.purge(batch === null ? { purgeEverything: true } : { tags: batch });
      if (!result.success) error = result.errors.map((e) => `${e.code}: ${e.message}`).join('; ') || 'purge was not successful';
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
    }
    if (error !== undefined) {
      const failed = batches.slice(i).flatMap((b) => b ?? ['(everything)']);
      console.error(JSON.stringify({ event: 'purge.failed', calls: i, failed: failed.length, error }));
      return { cache: 'failed', calls: i, purged, failed, error };
    }
    if (batch) purged.push(...batch);
  }
  console.log(JSON.stringify({ event: 'purge', calls: batches.length, tags: purged.length, everything: 'everything' in body }));
  return { cache: 'purged', calls: batches.length, tags: purged.length, everything: 'everything' in body };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function json(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(`${JSON.stringify(value)}\n`, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': NO_STORE, ...headers },
  });
}

/**
 * Answers a request to the purge route: checks method, secret, signature, age
 * and body, then hands the purge to `purge` (the cached entry point's own
 * `ctx.cache`). Never throws: every refusal is a 4xx saying why.
 */
export async function handlePurge(
  request: Request, secret: string | undefined, now: number, purge: (body: PurgeBody) => Promise<PurgeOutcome>,
): Promise<Response> {
  if (request.method !== 'POST') return json(405, { error: `use POST for ${PURGE_PATH}` }, { Allow: 'POST' });
  if (!secret) return json(403, { error: 'purging is disabled: set the PURGE_SECRET secret (npx wrangler secret put PURGE_SECRET)' });
  const declared = Number(request.headers.get('Content-Length') ?? 0);
  if (declared > MAX_PURGE_BODY_BYTES) return json(413, { error: `the body is over ${MAX_PURGE_BODY_BYTES} bytes` });
  let text: string;
  try {
    text = await readLimited(request, MAX_PURGE_BODY_BYTES);
  } catch {
    return json(413, { error: `the body is over ${MAX_PURGE_BODY_BYTES} bytes` });
  }
  const checked = await verifyPurge(secret, request.headers, text, now);
  if (!checked.ok) return json(checked.refusal.status, { error: checked.refusal.message });
  const outcome = await purge(checked.body);
  if (outcome.cache === 'failed') return json(503, outcome, { 'Retry-After': '60' });
  return json(200, outcome);
}

/** The body as text, refusing to read past `limit` bytes whatever Content-Length said. */
async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error('too large');
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
