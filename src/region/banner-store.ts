/**
 * Banner copy overrides from KV (`config/banners`), read at most once per
 * `ISOLATE_CACHE_TTL` per isolate. Copy that fails validation, or a KV failure,
 * never breaks a page: the last good overrides (or the code defaults) stay.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseBannerFile, type BannerOverrides } from '../content/banner-copy.ts';
import type { Meter } from '../http/server-timing.ts';
import { CACHE_BOUNDS } from '../caches.ts';
import { Memo } from '../storage/memo.ts';
import { contentHash } from '../storage/kv-format.ts';
import { BANNERS_KEY, StorageUnavailableError, getBannerFile, type KvReadOptions } from '../storage/kv.ts';

/**
 * The banners file as last read: its content hash (null when there is none),
 * and what it parsed to (the same objects while the file is the same, so
 * rendered banners stay cached).
 */
export interface BannerCopyRead {
  source: string | null;
  hash: string | null;
  /** The revision the file's KV metadata records, or null. */
  revision: number | null;
  overrides: BannerOverrides;
}

const copies = new Memo<BannerCopyRead>('banner copy', CACHE_BOUNDS.bannerFiles);
const NONE: BannerOverrides = Object.freeze({});
const NO_COPY: BannerCopyRead = Object.freeze({ source: null, hash: null, revision: null, overrides: NONE });

/**
 * The current banner copy: the overrides (`{}` when there are none, or when
 * KV fails before any copy was read) and the hash of the file they came
 * from. `stale` when KV failed and this is an earlier copy, or the code's
 * own: the page is served, but not stored. `fresh` skips the isolate memo
 * and reads KV again.
 */
export async function loadBannerCopy(
  kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, { now, meter, fresh = false }: { now: number; meter?: Meter; fresh?: boolean },
): Promise<BannerCopyRead & { stale: boolean }> {
  const memo = { now, ttlMs: fresh ? 0 : options.isolateTtl * 1000, refreshLimitMs: fresh ? 0 : options.timeoutMs };
  try {
    const read = await copies.get(BANNERS_KEY, memo, async (previous) => {
      const file = await getBannerFile(kv, options, meter);
      if (file === null) return NO_COPY;
      if (previous && previous.source === file.source) return previous.revision === file.revision ? previous : { ...previous, revision: file.revision };
      const parsed = parseBannerFile(file.source);
      if (!parsed.ok) console.error(JSON.stringify({ event: 'banners.invalid', problems: parsed.problems }));
      return { source: file.source, hash: await contentHash(file.source), revision: file.revision, overrides: parsed.ok ? parsed.overrides : NONE };
    });
    return { ...read.value, stale: read.stale };
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // A banner is never worth failing a page for: the code's own copy shows instead.
    console.warn(JSON.stringify({ event: 'banners.unavailable', error: error.message }));
    return { ...NO_COPY, stale: true };
  }
}
