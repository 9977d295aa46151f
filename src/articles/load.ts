/**
 * From a slug to a parsed article version, through the article memo: within
 * `ISOLATE_CACHE_TTL` an isolate answers from memory without a KV read, and
 * when KV fails it serves the last version it read, marked stale. Parsed
 * versions live in the render cache by content hash, so a 304 costs at most
 * a KV read and a hash, never a markdown render.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { CACHE_BOUNDS } from '../caches.ts';
import { parseArticle } from '../content/article.ts';
import type { Meter } from '../http/server-timing.ts';
import { StoredContentError } from '../storage/failures.ts';
import { getArticle, type KvReadOptions } from '../storage/kv.ts';
import { Memo } from '../storage/memo.ts';
import { cached, keep } from './render-cache.ts';
import type { LoadedArticle, ParsedArticle } from './types.ts';

/** How articles are read: KV's edge cache and timeout, the isolate memo's lifetime, the render cache's budget. */
export interface LoadOptions extends KvReadOptions {
  cacheBytes: number;
  /** Seconds a read is reused without asking KV again; 0 always asks. */
  isolateTtl: number;
}

/** Each slug's last read: the content hash and revision it had, or null for no such key. */
const versions = new Memo<{ hash: string; revision: number | null } | null>('article', CACHE_BOUNDS.articleVersions);

/**
 * Reads and parses an article; null when there is no such key. `fresh`
 * skips the isolate memo and reads KV again. Drafts and
 * scheduled articles are returned too: the caller decides who may see them.
 * When KV fails, the last good version comes back marked stale if it is still
 * in memory; otherwise the failure propagates. A stored file that does not
 * parse throws {@link StoredContentError}.
 */
export async function loadArticle(
  kv: KVNamespace, slug: string, options: LoadOptions, { now, meter, fresh = false }: { now: number; meter?: Meter; fresh?: boolean },
): Promise<LoadedArticle | null> {
  const parsedOf = (hash: string) => cached('parsed', parsedKey(slug, hash), options.cacheBytes);
  // What this request parsed itself: used even when the render cache cannot keep it (a file over its budget).
  let justParsed: ParsedArticle | undefined;
  const read = await versions.get(slug, {
    now,
    // `fresh`: the index says a newer version exists, so what this isolate remembers will not do.
    ttlMs: fresh ? 0 : options.isolateTtl * 1000,
    refreshLimitMs: fresh ? 0 : options.timeoutMs,
    // A remembered version whose parse was evicted is read again.
    keep: (seen) => seen === null || parsedOf(seen.hash) !== undefined,
  }, async () => {
    const stored = await getArticle(kv, slug, options, meter);
    if (!stored) return null;
    justParsed = parsedOf(stored.hash) ?? parse(slug, stored.hash, stored.source);
    keep('parsed', parsedKey(slug, stored.hash), justParsed, stored.source.length * 2 + 512, options.cacheBytes);
    return { hash: stored.hash, revision: stored.revision };
  });
  if (read.value === null) return null;
  const parsed = justParsed ?? parsedOf(read.value.hash);
  if (!parsed) {
    if (read.stale) throw read.error; // the last good version has left memory too
    throw new Error(`${slug}: parsed version missing right after it was read`);
  }
  if (!parsed.ok) throw new StoredContentError(slug, parsed.error);
  // The parse is shared by every key holding these bytes; the revision is this read's own.
  return { version: { ...parsed.version, revision: read.value.revision }, stale: read.stale };
}

function parse(slug: string, hash: string, source: string): ParsedArticle {
  const result = parseArticle(source, slug);
  if (!result.ok) {
    const first = result.problems.find((p) => p.severity === 'error') ?? result.problems[0]!;
    return { ok: false, error: `line ${first.line}: ${first.message}` };
  }
  const { body, bodyLine: _, correctionLines: _lines, ...fields } = result.article;
  // The key is the article's address, whatever its front matter says.
  return { ok: true, version: { slug, hash, revision: null, meta: { ...fields, slug }, body } };
}

function parsedKey(slug: string, hash: string): string {
  return `${slug}|${hash}`;
}

/** Forgets what this isolate read (tests that rewrite KV under it). */
export function forgetArticleVersions(): void {
  versions.clear();
}
