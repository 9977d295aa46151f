/**
 * The fronts file from KV (`config/fronts`), through the config-file store:
 * read at most once per `ISOLATE_CACHE_TTL` per isolate. A file that fails
 * validation (it cannot, through `npm run publish`; a plain upload can), or a
 * KV failure before any read, leaves the site without editions: `/` is the
 * newest-first list, as before fronts.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { NO_FRONTS, parseFrontsFile, type Fronts } from '../content/fronts.ts';
import type { Meter } from '../http/server-timing.ts';
import { loadConfigFile, type ConfigFileFormat, type ConfigFileRead } from '../storage/config-files.ts';
import { FRONTS_KEY, type KvReadOptions } from '../storage/kv.ts';

export type FrontsRead = ConfigFileRead<Fronts>;

const FRONTS: ConfigFileFormat<Fronts> = {
  key: FRONTS_KEY,
  event: 'fronts',
  parse: (source) => {
    const parsed = parseFrontsFile(source);
    return parsed.ok ? { ok: true, value: parsed.fronts } : parsed;
  },
  fallback: NO_FRONTS,
};

/** The current fronts file, `stale` when KV failed and this is an earlier read (or none). */
export function loadFronts(
  kv: KVNamespace, options: KvReadOptions & { isolateTtl: number }, context: { now: number; meter?: Meter; fresh?: boolean },
): Promise<FrontsRead & { stale: boolean }> {
  return loadConfigFile(kv, FRONTS, options, context);
}
