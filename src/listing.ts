/**
 * The published list of articles, shared by the index, the feed and the
 * sitemap: read from KV at most once per `ISOLATE_CACHE_TTL` per isolate, and kept
 * as the last good copy for when KV fails.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { usable, type Refreshable } from './refresh.ts';
import { StorageUnavailableError, byNewest, contentHash, listArticles, type IndexEntry, type KvReadOptions } from './store.ts';

export interface Listing {
  /** Published articles, newest first. */
  entries: IndexEntry[];
  /** Changes whenever any listed article, or the set of them, changes. */
  version: string;
  /** The newest first-published or updated time among them. */
  lastModified?: number;
  /** True when KV failed and this is the last listing read before. */
  stale: boolean;
}

const listings = new WeakMap<KVNamespace, Refreshable & { listing: Listing }>();

/**
 * The current listing, from memory when it is younger than `isolateTtl`
 * seconds, or while another request is refreshing it.
 */
export async function loadListing(kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }): Promise<Listing> {
  const memo = listings.get(kv);
  if (memo && usable(memo, options.isolateTtl * 1000, options.timeoutMs)) return memo.listing;
  if (memo) memo.refreshingSince = Date.now();
  let all: IndexEntry[];
  try {
    all = await listArticles(kv, options);
  } catch (error) {
    if (error instanceof StorageUnavailableError && memo) {
      console.warn(JSON.stringify({ event: 'storage.stale', what: 'listing', error: error.message }));
      return { ...memo.listing, stale: true };
    }
    throw error;
  } finally {
    if (memo) memo.refreshingSince = undefined;
  }
  const entries = all.filter((e) => !e.draft).sort(byNewest);
  const newest = entries.reduce((max, e) => Math.max(max, Date.parse(e.updated ?? e.date)), 0);
  const listing: Listing = {
    entries,
    version: (await contentHash(entries.map((e) => `${e.slug}:${e.hash}`).join('\n'))).slice(0, 16),
    ...(newest > 0 && newest <= Date.now() && { lastModified: newest }),
    stale: false,
  };
  listings.set(kv, { listing, readAt: Date.now() });
  return listing;
}
