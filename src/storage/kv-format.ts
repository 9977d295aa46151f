/**
 * How articles, media and banner copy sit in Workers KV, as data: key
 * names, what a key's metadata holds, and content hashes. Pure, and shared by
 * the worker and the editors' commands; `kv.ts` does the reading.
 *
 * The key is the slug and the value is exactly the article file. Media live
 * under `media/`, banner overrides at `config/banners`; neither can be taken
 * for an article, because slugs may not start with those segments. A key's
 * metadata, when the publish command wrote it, carries the content hash (and
 * what a person browsing the namespace wants to see), so the reconciler can
 * compare KV with the D1 index from one `list` per 1,000 keys.
 */
import type { ArticleMeta, ArticleSummary } from '../content/article.ts';

export const MEDIA_PREFIX = 'media/';
export const BANNERS_KEY = 'config/banners';
/** The fronts file: editions and their curated front pages. */
export const FRONTS_KEY = 'config/fronts';

/** KV metadata may hold at most this many bytes of JSON. */
export const MAX_METADATA_BYTES = 1024;

/** An article as its key's metadata describes it. */
export interface MetadataEntry extends ArticleSummary {
  draft: boolean;
  /** The revision the publish command gave this version (D1's counter); absent on older keys. */
  rev?: number;
}

/** The metadata the publish command stores with each article key. */
export interface ArticleMetadata extends Omit<MetadataEntry, 'slug'> {
  v: 1;
}


function indexFields(meta: ArticleMeta): Omit<MetadataEntry, 'hash'> {
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
export function toMetadata(meta: ArticleMeta, hash: string, revision?: number): ArticleMetadata {
  const { slug: _slug, ...fields } = indexFields(meta);
  const metadata: ArticleMetadata = { v: 1, ...fields, hash, ...(revision !== undefined && { rev: revision }) };
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
export function entryFromMetadata(slug: string, metadata: unknown): MetadataEntry | null {
  if (typeof metadata !== 'object' || metadata === null) return null;
  const m = metadata as Record<string, unknown>;
  const optionalText = (value: unknown) => value === undefined || typeof value === 'string';
  if (
    m.v !== 1 || typeof m.title !== 'string' || typeof m.date !== 'string' || typeof m.hash !== 'string' ||
    !/^[0-9a-f]{16,64}$/.test(m.hash) || !optionalText(m.updated) || !optionalText(m.standfirst) ||
    !optionalText(m.section) || (m.draft !== undefined && typeof m.draft !== 'boolean') ||
    (m.rev !== undefined && !isRevision(m.rev)) || Number.isNaN(Date.parse(m.date))
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
    ...(isRevision(m.rev) && { rev: m.rev }),
    ...(typeof m.updated === 'string' && { updated: m.updated }),
    ...(typeof m.standfirst === 'string' && { standfirst: m.standfirst }),
    ...(typeof m.section === 'string' && { section: m.section }),
    ...(validImage && { image: { src: image.src as string, alt: image.alt as string } }),
  };
}

/** A revision as metadata may carry one: a positive integer. */
export function isRevision(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * The revision a key's metadata records, whatever else it holds (media and
 * banner copy carry `{ v, hash, rev }`); null when there is none.
 */
export function revisionOf(metadata: unknown): number | null {
  const rev = (metadata as { rev?: unknown } | null)?.rev;
  return isRevision(rev) ? rev : null;
}

/** The content version of an article file: SHA-256 of its UTF-8 bytes, 32 hex digits. */
export async function contentHash(source: string | ArrayBuffer | Uint8Array): Promise<string> {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  let hex = '';
  for (const byte of new Uint8Array(digest, 0, 16)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
