/**
 * Everything that knows how articles, media and banner copy sit in Workers KV.
 *
 * KV layout (DESIGN §1): the key is the slug and the value is exactly the
 * article file. Media live under `media/`, banner overrides at `config/banners`;
 * neither can be mistaken for an article, because their keys are not slugs.
 * A key's metadata, when the publish command wrote it, carries the content
 * hash (and what a person browsing the namespace wants to see), so the
 * reconciler can compare KV with the D1 index from one `list` per 1,000 keys.
 */
import type { ArticleMeta } from '../content/article.ts';
import type { KVNamespace, KVNamespaceListResult } from '@cloudflare/workers-types';
import type { Meter } from '../http/server-timing.ts';
import { DIMENSION_BYTES } from '../media/dimensions.ts';
import { isValidSlug } from '../content/slug.ts';
import { StoredContentError, storageCall } from './failures.ts';

export { StorageUnavailableError, StoredContentError } from './failures.ts';

export const MEDIA_PREFIX = 'media/';
export const BANNERS_KEY = 'config/banners';

/** KV metadata may hold at most this many bytes of JSON. */
export const MAX_METADATA_BYTES = 1024;

/** One article as lists, feeds and sitemaps show it. */
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

/** How KV is read: edge cache lifetime, how long to wait before giving up, and what counts the call. */
export interface KvReadOptions {
  cacheTtl: number;
  timeoutMs: number;
}

/** The raw article file from KV and its content hash. */
export interface StoredArticle {
  source: string;
  hash: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads one article's file; null when there is no such key. The hash is
 * computed from the stored bytes, not taken from metadata, so it is always the
 * version of what is actually being served.
 */
export async function getArticle(kv: KVNamespace, slug: string, options: KvReadOptions, meter?: Meter): Promise<StoredArticle | null> {
  const value = await callKv(`get ${slug}`, options, meter, () => kv.get(slug, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }));
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
export async function getBannerFile(kv: KVNamespace, options: KvReadOptions, meter?: Meter): Promise<string | null> {
  return callKv(`get ${BANNERS_KEY}`, options, meter, () => kv.get(BANNERS_KEY, { type: 'text', cacheTtl: options.cacheTtl }));
}

/** A media file's body and type; null when missing or of a type not served. */
export async function getMedia(
  kv: KVNamespace,
  name: string,
  options: KvReadOptions,
  meter?: Meter,
): Promise<{ body: ArrayBuffer; contentType: string } | null> {
  const contentType = mediaType(name);
  if (!contentType) return null;
  const value = await callKv(`get ${MEDIA_PREFIX}${name}`, options, meter, () =>
    kv.get(MEDIA_PREFIX + name, { type: 'arrayBuffer', cacheTtl: options.cacheTtl }),
  );
  return value === null ? null : { body: value, contentType };
}

/** The first {@link DIMENSION_BYTES} of a media file (enough to read its size); null when missing. */
export async function getMediaHead(kv: KVNamespace, name: string, options: KvReadOptions, meter?: Meter): Promise<Uint8Array | null> {
  const stream = await callKv(`get ${MEDIA_PREFIX}${name}`, options, meter, () =>
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

/** One page of article keys in KV, in key order, with the content hash their metadata carries (if any). */
export interface ArticleKeyPage {
  keys: { slug: string; hash: string | null }[];
  /** The last key on the page, article or not: where the next page starts. */
  lastKey: string | null;
  /** For the next page; null when this was the last. */
  cursor: string | null;
}

/**
 * One `list` call's worth of article keys. Keys that are not slugs (media,
 * banner copy) are left out. Only the reconciler lists KV: no reader request does.
 */
export async function listArticleKeys(kv: KVNamespace, cursor: string | null, options: KvReadOptions, meter?: Meter): Promise<ArticleKeyPage> {
  const page: KVNamespaceListResult<unknown> = await callKv('list', options, meter, () =>
    kv.list({ limit: 1000, ...(cursor !== null && { cursor }) }));
  const keys = page.keys.filter((key) => isValidSlug(key.name)).map((key) => ({
    slug: key.name,
    hash: entryFromMetadata(key.name, key.metadata)?.hash ?? null,
  }));
  return { keys, lastKey: page.keys.at(-1)?.name ?? null, cursor: page.list_complete ? null : page.cursor };
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

/** Runs a KV call with the timeout, counted by `meter`. */
function callKv<T>(operation: string, options: KvReadOptions, meter: Meter | undefined, call: () => Promise<T>): Promise<T> {
  const attempt = () => storageCall(`KV ${operation}`, options.timeoutMs, call);
  return meter ? meter.call('kv', attempt) : attempt();
}
