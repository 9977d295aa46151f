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
 * The banner copy and the fronts file are checked the same way against
 * `config_files`. Pure.
 */
import type { IndexedVersion } from '../storage/index-sql.ts';

/** What the index says of content read from KV. `unknown`: the index could not be read, so KV is trusted. */
export type Freshness = 'current' | 'behind' | 'removed' | 'unknown';

/** A version as KV gave it: its content hash, and the revision its metadata records (null for a plain upload). */
export interface KvVersion {
  hash: string;
  revision: number | null;
}

/**
 * `kv` is what KV gave for the article (null: no such key). Revisions decide
 * where both sides have one; a plain upload (no revision) is judged by time,
 * against the trust window, on D1's clock.
 */
export function articleFreshness(held: IndexedVersion | null, kv: KvVersion | null, trustMs: number): Freshness {
  if (!held) return 'unknown';
  const recent = (at: number | null) => at !== null && at >= held.dbNow - trustMs;
  if (held.removedAt !== null) {
    if (kv === null) return 'current';
    const removedAfter = kv.revision !== null && held.removedRevision !== null ? held.removedRevision >= kv.revision : recent(held.removedAt);
    if (removedAfter) return 'removed';
  }
  if (held.hash === null) return 'current';
  if (kv === null) return recent(held.indexedAt) ? 'behind' : 'current';
  if (kv.hash === held.hash) return 'current';
  if (kv.revision !== null && held.revision !== null) return kv.revision < held.revision ? 'behind' : 'current';
  // Without revisions on both sides, only time tells: within the window, the index's version is the newer.
  return held.indexedBy === 'editor' && recent(held.indexedAt) ? 'behind' : 'current';
}

/** What the index holds of an editors' config file: as an editor last published it (all null when never), and D1's clock. */
export interface HeldConfigFile {
  hash: string | null;
  revision: number | null;
  writtenAt: number | null;
  dbNow: number;
}

/** `copy` is the config file in use (its hash null when none was published, so the code's own default). */
export function configFreshness(held: HeldConfigFile | null, copy: { hash: string | null; revision: number | null }, trustMs: number): Freshness {
  if (!held) return 'unknown';
  if (held.hash === null || copy.hash === held.hash) return 'current';
  if (copy.revision !== null && held.revision !== null) return copy.revision < held.revision ? 'behind' : 'current';
  return held.writtenAt !== null && held.writtenAt >= held.dbNow - trustMs ? 'behind' : 'current';
}

/** The banner copy in use against the index's record of it. */
export function bannersFreshness(held: IndexedVersion | null, copy: { hash: string | null; revision: number | null }, trustMs: number): Freshness {
  return configFreshness(held && { hash: held.bannersHash, revision: held.bannersRevision, writtenAt: held.bannersWrittenAt, dbNow: held.dbNow }, copy, trustMs);
}
