/**
 * Rendered list documents (index and section pages, feeds, sitemaps) kept in
 * isolate memory, UTF-8 encoded, by route and ETag: a list is rendered once
 * per index version, and its last good copy is what readers get, marked
 * `no-store`, while D1 is failing.
 */
import { LruCache } from '../storage/lru.ts';
import { logStale, StorageUnavailableError } from '../storage/failures.ts';

export interface ListBody {
  bytes: Uint8Array;
  /** The ETag these bytes are the representation of. */
  etag: string;
  /** True when D1 failed and these are the bytes of an earlier version. */
  stale: boolean;
}

let bodies: LruCache<{ etag: string; bytes: Uint8Array }> | undefined;

function memory(budgetBytes: number): LruCache<{ etag: string; bytes: Uint8Array }> {
  if (!bodies) bodies = new LruCache(budgetBytes);
  else if (bodies.capacity !== budgetBytes) bodies.resize(budgetBytes);
  return bodies;
}

/** A document as rendered: its text, and whether what it shows is the version its ETag names. */
export interface RenderedList {
  text: string;
  /** False when the index changed between the read that chose the ETag and the one the body came from. */
  current: boolean;
}

/**
 * The body for `key` at `etag`: from memory when this version was rendered
 * before, else rendered now (`render` reads D1; null when there turns out to
 * be no such document). A body that is not `current` is served as stale and
 * never kept, so one ETag never labels two bodies. When `render` finds D1
 * unavailable, the last copy rendered for `key` is returned as stale; with
 * none, the error propagates.
 */
export async function listBody(key: string, etag: string, budgetBytes: number, render: () => Promise<RenderedList | null>): Promise<ListBody | null> {
  const cache = memory(budgetBytes);
  const kept = cache.get(key);
  if (kept && kept.etag === etag) return { ...kept, stale: false };
  let rendered: RenderedList | null;
  try {
    rendered = await render();
  } catch (error) {
    if (error instanceof StorageUnavailableError && kept) return staleCopy(key, kept, error);
    throw error;
  }
  if (rendered === null) return null;
  const bytes = new TextEncoder().encode(rendered.text);
  if (!rendered.current) return { bytes, etag, stale: true };
  cache.set(key, { etag, bytes }, bytes.byteLength);
  return { bytes, etag, stale: false };
}

/** The last copy rendered for `key`, when D1 failed before its version could even be read; else the error again. */
export function lastListBody(key: string, budgetBytes: number, error: StorageUnavailableError): ListBody {
  const kept = memory(budgetBytes).get(key);
  if (!kept) throw error;
  return staleCopy(key, kept, error);
}

function staleCopy(key: string, kept: { etag: string; bytes: Uint8Array }, error: Error): ListBody {
  logStale('list bodies', key, error);
  return { ...kept, stale: true };
}
