/**
 * The render cache: one byte budget (`RENDER_CACHE_MB`) for everything an
 * isolate keeps per article version, each entry typed by its kind:
 *
 * - `parsed`: front matter and body (or why they do not parse), so a 304
 *   costs a KV read and a hash, never a render;
 * - `render`: the region-neutral page, split at the banner slot and already
 *   UTF-8 encoded, the body HTML and the gallery's pictures;
 * - `page`: the page for one region, banner stitched in, so the warm path
 *   copies nothing;
 * - `gallery`: the gallery page.
 *
 * Keys hold the content hash, so a new version never meets an old entry.
 */
import type { ArticleRender, ParsedArticle } from './types.ts';
import { LruCache } from '../storage/lru.ts';

/** What each kind of entry holds. */
interface Values {
  parsed: ParsedArticle;
  render: ArticleRender;
  page: Uint8Array;
  gallery: Uint8Array;
}

export type Kind = keyof Values;
type Entry = { kind: Kind; value: unknown };

/** Narrows a kept entry to its kind, so what comes out is typed by what went in. */
function isKind<K extends Kind>(entry: Entry | undefined, kind: K): entry is { kind: K; value: Values[K] } {
  return entry?.kind === kind;
}

let cache: LruCache<Entry> | undefined;

/** The cache, at the budget the configuration asks for. */
function memory(budgetBytes: number): LruCache<Entry> {
  if (!cache) cache = new LruCache(budgetBytes);
  else if (cache.capacity !== budgetBytes) cache.resize(budgetBytes);
  return cache;
}

/** The entry of `kind` at `key`, if kept. */
export function cached<K extends Kind>(kind: K, key: string, budgetBytes: number): Values[K] | undefined {
  const entry = memory(budgetBytes).get(`${kind}|${key}`);
  return isKind(entry, kind) ? entry.value : undefined;
}

/** Keeps `value` as the entry of `kind` at `key`, counted as `bytes` against the budget. */
export function keep<K extends Kind>(kind: K, key: string, value: Values[K], bytes: number, budgetBytes: number): void {
  memory(budgetBytes).set(`${kind}|${key}`, { kind, value }, bytes);
}

/** What the cache holds now, by kind and key (for tests and operators). */
export function renderCacheContents(): { kind: Kind; key: string }[] {
  return [...(cache?.entries() ?? [])].map(([full, entry]) => ({ kind: entry.kind, key: full.slice(entry.kind.length + 1) }));
}

/** Bytes held now. */
export function renderCacheBytes(): number {
  return cache?.used ?? 0;
}
