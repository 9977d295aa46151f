/**
 * Editors' config files in KV (`config/banners`, `config/fronts`), read at
 * most once per `ISOLATE_CACHE_TTL` per isolate, through the one memo. A file
 * that fails validation, or a KV failure, never breaks a page: the last good
 * parse (or the code's own default) stays, marked stale after a failure so
 * the page is served but not stored.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { CACHE_BOUNDS } from '../caches.ts';
import type { Problem } from '../content/yaml-mapping.ts';
import type { Meter } from '../http/server-timing.ts';
import { StorageUnavailableError } from './failures.ts';
import { contentHash } from './kv-format.ts';
import { getConfigFile, type KvReadOptions } from './kv.ts';
import { Memo } from './memo.ts';

/**
 * A config file as last read: its content hash and revision (null when there
 * is none) and what it parsed to (the same object while the file is the
 * same, so what was rendered from it stays cached).
 */
export interface ConfigFileRead<T> {
  source: string | null;
  hash: string | null;
  /** The revision the file's KV metadata records, or null. */
  revision: number | null;
  value: T;
}

/** How one config file is parsed, and what stands in when there is none or it is invalid. */
export interface ConfigFileFormat<T> {
  key: string;
  /** Names it in log lines (`banners.invalid`, `fronts.unavailable`). */
  event: string;
  parse: (source: string) => { ok: true; value: T } | { ok: false; problems: Problem[] };
  fallback: T;
}

const files = new Memo<ConfigFileRead<unknown>>('config file', CACHE_BOUNDS.configFiles);

/**
 * The current parse of `format`'s file, `stale` when KV failed and this is an
 * earlier read or the fallback. `fresh` skips the isolate memo and reads KV
 * again (the freshness check, when D1 says an editor published another).
 */
export async function loadConfigFile<T>(
  kv: KVNamespace,
  format: ConfigFileFormat<T>,
  options: KvReadOptions & { isolateTtl: number },
  { now, meter, fresh = false }: { now: number; meter?: Meter; fresh?: boolean },
): Promise<ConfigFileRead<T> & { stale: boolean }> {
  const none: ConfigFileRead<T> = { source: null, hash: null, revision: null, value: format.fallback };
  const memo = { now, ttlMs: fresh ? 0 : options.isolateTtl * 1000, refreshLimitMs: fresh ? 0 : options.timeoutMs };
  try {
    const read = await files.get(format.key, memo, async (previous) => {
      const file = await getConfigFile(kv, format.key, options, meter);
      if (file === null) return none;
      if (previous && previous.source === file.source) return previous.revision === file.revision ? previous : { ...previous, revision: file.revision };
      const parsed = format.parse(file.source);
      if (!parsed.ok) console.error(JSON.stringify({ event: `${format.event}.invalid`, problems: parsed.problems }));
      return { source: file.source, hash: await contentHash(file.source), revision: file.revision, value: parsed.ok ? parsed.value : format.fallback };
    });
    return { ...(read.value as ConfigFileRead<T>), stale: read.stale };
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    console.warn(JSON.stringify({ event: `${format.event}.unavailable`, error: error.message }));
    return { ...none, stale: true };
  }
}
