/**
 * Everything that knows how articles, media and banner copy sit in Workers KV.
 *
 * KV layout (DESIGN §1): the key is the slug and the value is exactly the
 * article file. Media live under `media/`, banner overrides at `config/banners`;
 * neither can be mistaken for an article, because their keys are not slugs.
 * A key's metadata, when the publish command wrote it, carries what the index
 * needs, so the index costs one `list` and not one `get` per article.
 */
import { parseArticle, type ArticleMeta } from './article.ts';
import type { KVNamespace, KVNamespaceListResult } from '@cloudflare/workers-types';
import { DIMENSION_BYTES } from './media-dimensions.ts';
import { isValidSlug } from './slug.ts';

export const MEDIA_PREFIX = 'media/';
export const BANNERS_KEY = 'config/banners';

/** KV metadata may hold at most this many bytes of JSON. */
export const MAX_METADATA_BYTES = 1024;

/** One article as the index, feed and sitemap see it. */
export interface IndexEntry {
  slug: string;
  title: string;
  date: string;
  updated?: string;
  standfirst?: string;
  section?: string;
  draft: boolean;
  /** Content hash of the KV value. */
  hash: string;
  image?: { src: string; alt: string };
}

/** The metadata the publish command stores with each article key. */
export interface ArticleMetadata extends Omit<IndexEntry, 'slug'> {
  v: 1;
}

/** How KV is read: edge cache lifetime, and how long to wait before giving up. */
export interface KvReadOptions {
  cacheTtl: number;
  timeoutMs: number;
}

/** The raw article file from KV and its content hash. */
export interface StoredArticle {
  source: string;
  hash: string;
}

/** KV itself failed (threw or timed out): a 503, never a 404. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
}

/** The stored value cannot be an article (for example it is not UTF-8): a 500 naming the key. */
export class StoredContentError extends Error {
  override name = 'StoredContentError';
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.key = key;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads one article's file; null when there is no such key. The hash is
 * computed from the stored bytes, not taken from metadata, so it is always the
 * version of what is actually being served.
 */
export async function getArticle(kv: KVNamespace, slug: string, options: KvReadOptions): Promise<StoredArticle | null> {
  const value = await callKv(`get ${slug}`, options, () => kv.get(slug, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }));
  if (value === null) return null;
  let source: string;
  try {
    source = utf8.decode(value);
  } catch {
    throw new StoredContentError(slug, 'the stored value is not valid UTF-8');
  }
  return { source, hash: await contentHash(value) };
}

/** The banners file, as text; null when editors have not published one. */
export async function getBannerFile(kv: KVNamespace, options: KvReadOptions): Promise<string | null> {
  return callKv(`get ${BANNERS_KEY}`, options, () => kv.get(BANNERS_KEY, { type: 'text', cacheTtl: options.cacheTtl }));
}

/** A media file's body and type; null when missing or of a type not served. */
export async function getMedia(
  kv: KVNamespace,
  name: string,
  options: KvReadOptions,
): Promise<{ body: ArrayBuffer; contentType: string } | null> {
  const contentType = mediaType(name);
  if (!contentType) return null;
  const value = await callKv(`get ${MEDIA_PREFIX}${name}`, options, () =>
    kv.get(MEDIA_PREFIX + name, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }),
  );
  return value === null ? null : { body: value, contentType };
}

/** The first {@link DIMENSION_BYTES} of a media file (enough to read its size); null when missing. */
export async function getMediaHead(kv: KVNamespace, name: string, options: KvReadOptions): Promise<Uint8Array | null> {
  const stream = await callKv(`get ${MEDIA_PREFIX}${name}`, options, () =>
    kv.get(MEDIA_PREFIX + name, { type: 'stream', cacheTtl: options.cacheTtl }),
  );
  if (!stream) return null;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < DIMENSION_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const head = new Uint8Array(Math.min(length, DIMENSION_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, head.length - offset);
    head.set(part, offset);
    offset += part.length;
    if (offset >= head.length) break;
  }
  return head;
}

const MEDIA_TYPES: Record<string, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
};

/** A media file name: lower-case path segments, ending in an extension we serve. */
export const MEDIA_NAME = /^[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*(?:\/[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*)*\.(svg|png|jpe?g|webp|avif|gif)$/;

/** The Content-Type a media name is served with, or null when not served at all. */
export function mediaType(name: string): string | null {
  const match = name.length <= 200 ? MEDIA_NAME.exec(name) : null;
  return match ? MEDIA_TYPES[match[1]!]! : null;
}

/**
 * Every article in the namespace, drafts included, in key order. Keys with
 * valid metadata cost nothing beyond the `list`; a key without (a plain
 * `wrangler kv key put`) is read and parsed so it still appears. A key whose
 * file does not parse is logged and left out, so one bad article cannot take
 * the index down.
 */
export async function listArticles(kv: KVNamespace, options: KvReadOptions): Promise<IndexEntry[]> {
  const entries: IndexEntry[] = [];
  const unindexed: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown> = await callKv('list', options, () => kv.list({ cursor, limit: 1000 }));
    for (const key of page.keys) {
      if (!isValidSlug(key.name)) continue;
      const entry = entryFromMetadata(key.name, key.metadata);
      if (entry) entries.push(entry);
      else unindexed.push(key.name);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);

  const recovered = await Promise.all(unindexed.map((slug) => entryFromValue(kv, slug, options)));
  for (const entry of recovered) if (entry) entries.push(entry);
  return entries;
}

async function entryFromValue(kv: KVNamespace, slug: string, options: KvReadOptions): Promise<IndexEntry | null> {
  try {
    const stored = await getArticle(kv, slug, options);
    if (!stored) return null; // deleted between list and get
    const parsed = parseArticle(stored.source, slug);
    if (!parsed.ok) {
      console.error(JSON.stringify({ event: 'index.skip', slug, problems: parsed.problems }));
      return null;
    }
    return { ...indexFields(parsed.article), hash: stored.hash };
  } catch (error) {
    if (error instanceof StorageUnavailableError) throw error;
    console.error(JSON.stringify({ event: 'index.skip', slug, error: String(error) }));
    return null;
  }
}

function indexFields(meta: ArticleMeta): Omit<IndexEntry, 'hash'> {
  return {
    slug: meta.slug,
    title: meta.title,
    date: meta.date,
    draft: meta.draft,
    ...(meta.updated && { updated: meta.updated }),
    ...(meta.standfirst && { standfirst: meta.standfirst }),
    ...(meta.section && { section: meta.section }),
    ...(meta.image && { image: { src: meta.image.src, alt: meta.image.alt } }),
  };
}

/**
 * The KV metadata for an article: what the index shows, within KV's 1 KiB.
 * The image goes first, then the standfirst is shortened, when space runs out.
 */
export function toMetadata(meta: ArticleMeta, hash: string): ArticleMetadata {
  const { slug: _slug, ...fields } = indexFields(meta);
  const metadata: ArticleMetadata = { v: 1, ...fields, hash };
  const size = () => new TextEncoder().encode(JSON.stringify(metadata)).byteLength;
  if (size() > MAX_METADATA_BYTES) delete metadata.image;
  while (size() > MAX_METADATA_BYTES && metadata.standfirst) {
    const words = metadata.standfirst.split(' ');
    metadata.standfirst = words.length > 1 ? `${words.slice(0, -Math.ceil(words.length / 4)).join(' ')}…` : undefined;
    if (!metadata.standfirst) delete metadata.standfirst;
  }
  if (size() > MAX_METADATA_BYTES) metadata.title = `${metadata.title.slice(0, 200)}…`;
  return metadata;
}

/** Metadata read back from KV, checked field by field: anyone with wrangler can write it. */
export function entryFromMetadata(slug: string, metadata: unknown): IndexEntry | null {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const m = metadata as Record<string, unknown>;
  const optionalText = (value: unknown) => value === undefined || typeof value === 'string';
  if (
    m.v !== 1 || typeof m.title !== 'string' || typeof m.date !== 'string' || typeof m.hash !== 'string' ||
    !/^[0-9a-f]{16,64}$/.test(m.hash) || !optionalText(m.updated) || !optionalText(m.standfirst) ||
    !optionalText(m.section) || (m.draft !== undefined && typeof m.draft !== 'boolean') ||
    Number.isNaN(Date.parse(m.date))
  ) {
    return null;
  }
  const image = m.image as Record<string, unknown> | undefined;
  const validImage = typeof image === 'object' && image !== null && typeof image.src === 'string' && typeof image.alt === 'string';
  return {
    slug,
    title: m.title,
    date: m.date,
    draft: m.draft === true,
    hash: m.hash,
    ...(typeof m.updated === 'string' && { updated: m.updated }),
    ...(typeof m.standfirst === 'string' && { standfirst: m.standfirst }),
    ...(typeof m.section === 'string' && { section: m.section }),
    ...(validImage && { image: { src: image.src as string, alt: image.alt as string } }),
  };
}

/** The content version of an article file: SHA-256 of its UTF-8 bytes, 32 hex digits. */
export async function contentHash(source: string | ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  let hex = '';
  for (const byte of new Uint8Array(digest, 0, 16)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** Newest first by first-published date, then by slug so the order is total. */
export function byNewest(a: IndexEntry, b: IndexEntry): number {
  return Date.parse(b.date) - Date.parse(a.date) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
}

/** Runs a KV call, turning a throw or a hang past the timeout into {@link StorageUnavailableError}. */
async function callKv<T>(operation: string, options: KvReadOptions, call: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    throw new StorageUnavailableError(`KV ${operation} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
