/**
 * Banner copy overrides from KV (`config/banners`), read at most once per
 * `ISOLATE_CACHE_TTL` per isolate. Copy that fails validation, or a KV failure,
 * never breaks a page: the last good overrides (or the code defaults) stay.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseBannerFile, type BannerOverrides } from './banner.ts';
import type { Meter } from '../http/server-timing.ts';
import { usable, type Refreshable } from '../storage/memo.ts';
import { StorageUnavailableError, getBannerFile, type KvReadOptions } from '../storage/kv.ts';

interface Memo extends Refreshable {
  source: string | null;
  overrides: BannerOverrides;
}

const memos = new WeakMap<KVNamespace, Memo>();
const NONE: BannerOverrides = Object.freeze({});

/** The current overrides; `{}` when there are none. */
export async function loadBannerOverrides(kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, meter?: Meter): Promise<BannerOverrides> {
  const memo = memos.get(kv);
  if (memo && usable(memo, options.isolateTtl * 1000, options.timeoutMs)) return memo.overrides;
  if (memo) memo.refreshingSince = Date.now();
  let source: string | null;
  try {
    source = await getBannerFile(kv, options, meter);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    console.warn(JSON.stringify({ event: 'banners.stale', error: error.message }));
    return memo?.overrides ?? NONE;
  } finally {
    if (memo) memo.refreshingSince = undefined;
  }
  // Same file as last time: keep the same objects, so rendered banners stay cached.
  if (memo && memo.source === source) {
    memo.readAt = Date.now();
    return memo.overrides;
  }
  let overrides = NONE;
  if (source !== null) {
    const parsed = parseBannerFile(source);
    if (parsed.ok) overrides = parsed.overrides;
    else console.error(JSON.stringify({ event: 'banners.invalid', problems: parsed.problems }));
  }
  memos.set(kv, { source, overrides, readAt: Date.now() });
  return overrides;
}
