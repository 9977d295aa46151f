/**
 * Banner copy overrides from KV (`config/banners`), through the config-file
 * store: read at most once per `ISOLATE_CACHE_TTL` per isolate; copy that
 * fails validation, or a KV failure, never breaks a page (the last good
 * overrides, or the code's defaults, stay).
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseBannerFile, type BannerFile } from '../content/banner-copy.ts';
import type { Meter } from '../http/server-timing.ts';
import { loadConfigFile, type ConfigFileFormat, type ConfigFileRead } from '../storage/config-files.ts';
import { BANNERS_KEY, type KvReadOptions } from '../storage/kv.ts';

/** The banners file as last read, and what it parsed to: each group's copy, the rules, the tests. */
export type BannerCopyRead = ConfigFileRead<BannerFile>;

/** No banners file: the code's copy for every group, no rules, no tests. */
export const NO_BANNER_FILE: BannerFile = Object.freeze({ overrides: Object.freeze({}), rules: [], tests: [] });

const BANNERS: ConfigFileFormat<BannerFile> = {
  key: BANNERS_KEY,
  event: 'banners',
  parse: (source) => {
    const parsed = parseBannerFile(source);
    return parsed.ok ? { ok: true, value: { overrides: parsed.overrides, rules: parsed.rules, tests: parsed.tests } } : parsed;
  },
  fallback: NO_BANNER_FILE,
};

/**
 * The current banners file (no overrides, rules or tests when there is
 * none, or when KV fails before any was read) and the hash of the file it
 * came from. `stale` when KV failed and this is an earlier copy, or the code's
 * own: the page is served, but not stored.
 */
export function loadBannerCopy(
  kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, context: { now: number; meter?: Meter; fresh?: boolean },
): Promise<BannerCopyRead & { stale: boolean }> {
  return loadConfigFile(kv, BANNERS, options, context);
}
