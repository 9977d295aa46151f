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
import { BANNERS_KEY, StorageUnavailableError, getBannerFile, type KvReadOptions } from '../storage/kv.ts';

/** The banners file as last read, and what it parsed to (the same objects while the file is the same, so rendered banners stay cached). */
interface BannerCopyRead {
  source: string | null;
  overrides: BannerOverrides;
}

const copies = new Memo<BannerCopyRead>('banner copy', CACHE_BOUNDS.bannerFiles);
const NONE: BannerOverrides = Object.freeze({});

/** The current overrides; `{}` when there are none, or when KV fails before any copy was read. */
export async function loadBannerOverrides(
  kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, { now, meter }: { now: number; meter?: Meter },
): Promise<BannerOverrides> {
  try {
    const read = await copies.get(BANNERS_KEY, { now, ttlMs: options.isolateTtl * 1000, refreshLimitMs: options.timeoutMs }, async (previous) => {
      const source = await getBannerFile(kv, options, meter);
      if (previous && previous.source === source) return previous;
      if (source === null) return { source, overrides: NONE };
      const parsed = parseBannerFile(source);
      if (!parsed.ok) console.error(JSON.stringify({ event: 'banners.invalid', problems: parsed.problems }));
      return { source, overrides: parsed.ok ? parsed.overrides : NONE };
    });
    return read.value.overrides;
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // A banner is never worth failing a page for: the code's own copy shows instead.
    console.warn(JSON.stringify({ event: 'banners.unavailable', error: error.message }));
    return NONE;
  }
}
