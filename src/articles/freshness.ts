/**
 * Closing the purge race. KV caches reads at each location for
 * `KV_CACHE_TTL`, and an isolate reuses what it read for `ISOLATE_CACHE_TTL`,
 * so right after a publish and its purge a request can still read the old
 * file, and a cache would then keep the old page for its whole lifetime. The
 * editors' commands write the D1 index before they purge, and D1 is read
 * from its primary, so every article response that a cache may keep first
 * asks the index which version an editor last published (an isolate reuses
 * that answer for `ISOLATE_CACHE_TTL`; the commands purge a second time once
 * that has passed, `indexed-version.ts`):
 *
 * - the same version as KV gave: the response is current;
 * - another, written by an editor within the trust window (`KV_CACHE_TTL`
 *   plus two minutes): this location's KV is behind. The article is read
 *   again past the isolate memo; if KV still gives the old file, the reader
 *   gets it, but marked `no-store`, so no cache keeps it;
 * - an editor removed it within that window: a 404, whatever KV says.
 *
 * Outside the window KV is the truth (a plain `wrangler kv key put` wins).
 * The banner copy is checked the same way against `config_files`. Pure.
 */
import type { IndexedVersion } from '../storage/index-sql.ts';

/** What the index says of content read from KV. `unknown`: the index could not be read, so KV is trusted. */
export type Freshness = 'current' | 'behind' | 'removed' | 'unknown';

/** `kvHash` is the content hash KV gave for the article (null: no such key). */
export function articleFreshness(held: IndexedVersion | null, kvHash: string | null, now: number, trustMs: number): Freshness {
  if (!held) return 'unknown';
  const since = now - trustMs;
  if (held.removedAt !== null && held.removedAt >= since) return kvHash === null ? 'current' : 'removed';
  if (held.hash !== null && held.indexedBy === 'editor' && held.indexedAt !== null && held.indexedAt >= since) {
    return kvHash === held.hash ? 'current' : 'behind';
  }
  return 'current';
}

/** `copyHash` is the content hash of the banner copy in use (null: none published, so the code's own). */
export function bannersFreshness(held: IndexedVersion | null, copyHash: string | null, now: number, trustMs: number): Freshness {
  if (!held) return 'unknown';
  if (held.bannersHash === null || held.bannersWrittenAt === null || held.bannersWrittenAt < now - trustMs) return 'current';
  return copyHash === held.bannersHash ? 'current' : 'behind';
}
