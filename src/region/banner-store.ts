/**
 * Banner copy overrides from KV (`config/banners`), through the config-file
 * store: read at most once per `ISOLATE_CACHE_TTL` per isolate; copy that
 * fails validation, or a KV failure, never breaks a page (the last good
 * overrides, or the code's defaults, stay).
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseBannerFile, type BannerOverrides } from '../content/banner-copy.ts';
import type { Meter } from '../http/server-timing.ts';
import { loadConfigFile, type ConfigFileFormat, type ConfigFileRead } from '../storage/config-files.ts';
import { BANNERS_KEY, type KvReadOptions } from '../storage/kv.ts';

/** The banners file as last read, and the overrides it parsed to. */
export type BannerCopyRead = ConfigFileRead<BannerOverrides>;

const BANNERS: ConfigFileFormat<BannerOverrides> = {
  key: BANNERS_KEY,
  event: 'banners',
  parse: (source) => {
    const parsed = parseBannerFile(source);
    return parsed.ok ? { ok: true, value: parsed.overrides } : parsed;
  },
  fallback: Object.freeze({}),
};

/**
 * The current banner copy: the overrides (`{}` when there are none, or when
 * KV fails before any copy was read) and the hash of the file they came
 * from. `stale` when KV failed and this is an earlier copy, or the code's
 * own: the page is served, but not stored.
 */
export function loadBannerCopy(
  kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, context: { now: number; meter?: Meter; fresh?: boolean },
): Promise<BannerCopyRead & { stale: boolean }> {
  return loadConfigFile(kv, BANNERS, options, context);
}
