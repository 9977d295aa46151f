/**
 * Reading Workers KV: articles, media, banner copy, and (for the reconciler
 * alone) pages of keys. Every call has a timeout and is counted for
 * `Server-Timing`; a throw or a hang is a `StorageUnavailableError`. How keys
 * and metadata look is `kv-format.ts`.
 */
import type { KVNamespace, KVNamespaceListResult } from '@cloudflare/workers-types';
import type { Meter } from '../http/server-timing.ts';
import { isValidSlug } from '../content/slug.ts';
import { StoredContentError, storageCall } from './failures.ts';
import { contentHash, entryFromMetadata, revisionOf } from './kv-format.ts';

export { StorageUnavailableError, StoredContentError } from './failures.ts';
export { BANNERS_KEY, FRONTS_KEY, MEDIA_PREFIX } from './kv-format.ts';

/** How KV is read: edge cache lifetime, how long to wait before giving up, and what counts the call. */
export interface KvReadOptions {
  cacheTtl: number;
  timeoutMs: number;
}

/** The raw article file from KV, its content hash, and the revision its metadata records (null for a plain upload). */
export interface StoredArticle {
  source: string;
  hash: string;
  revision: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads one article's file; null when there is no such key. The hash is
 * computed from the stored bytes, not taken from metadata, so it is always the
 * version of what is actually being served.
 */
export async function getArticle(kv: KVNamespace, slug: string, options: KvReadOptions, meter?: Meter): Promise<StoredArticle | null> {
  const { value, metadata } = await callKv(`get ${slug}`, options, meter, () =>
    kv.getWithMetadata(slug, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }));
  if (value === null) return null;
  let source: string;
  try {
    source = utf8.decode(value);
  } catch {
    throw new StoredContentError(slug, 'the stored value is not valid UTF-8');
  }
  return { source, hash: await contentHash(value), revision: revisionOf(metadata) };
}

/** An editors' config file (`config/banners`, `config/fronts`) as text with the revision its metadata records; null when none was published. */
export async function getConfigFile(kv: KVNamespace, key: string, options: KvReadOptions, meter?: Meter): Promise<{ source: string; revision: number | null } | null> {
  const { value, metadata } = await callKv(`get ${key}`, options, meter, () =>
    kv.getWithMetadata(key, { type: 'text', cacheTtl: options.cacheTtl }));
  return value === null ? null : { source: value, revision: revisionOf(metadata) };
}

/**
 * A media file kept in KV (before `npm run media:migrate` moved it to R2):
 * its bytes and content hash (the one its metadata records, else computed);
 * null when missing.
 */
export async function getMediaFile(kv: KVNamespace, key: string, options: KvReadOptions, meter?: Meter): Promise<{ bytes: ArrayBuffer; hash: string } | null> {
  const { value, metadata } = await callKv(`get ${key}`, options, meter, () =>
    kv.getWithMetadata<{ hash?: unknown }>(key, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }));
  if (value === null) return null;
  return { bytes: value, hash: typeof metadata?.hash === 'string' ? metadata.hash : await contentHash(value) };
}

/** One page of article keys in KV, in key order, with the content hash and revision their metadata carries (if any). */
export interface ArticleKeyPage {
  keys: { slug: string; hash: string | null; revision: number | null }[];
  /** The last key on the page, article or not: where the next page starts. */
  lastKey: string | null;
  /** For the next page; null when this was the last. */
  cursor: string | null;
}

/**
 * One `list` call's worth of article keys. Keys that are not slugs (media,
 * the editors' config files) are left out. Only the reconciler lists KV: no reader request does.
 */
export async function listArticleKeys(kv: KVNamespace, cursor: string | null, options: KvReadOptions, meter?: Meter): Promise<ArticleKeyPage> {
  const page: KVNamespaceListResult<unknown> = await callKv('list', options, meter, () =>
    kv.list({ limit: 1000, ...(cursor !== null && { cursor }) }));
  const keys = page.keys.filter((key) => isValidSlug(key.name)).map((key) => {
    const entry = entryFromMetadata(key.name, key.metadata);
    return { slug: key.name, hash: entry?.hash ?? null, revision: entry?.rev ?? null };
  });
  return { keys, lastKey: page.keys.at(-1)?.name ?? null, cursor: page.list_complete ? null : page.cursor };
}

/** Runs a KV call with the timeout, counted by `meter`. */
function callKv<T>(operation: string, options: KvReadOptions, meter: Meter | undefined, call: () => Promise<T>): Promise<T> {
  const attempt = () => storageCall(`KV ${operation}`, options.timeoutMs, call);
  return meter ? meter.call('kv', attempt) : attempt();
}
