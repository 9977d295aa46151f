/**
 * From a slug to a rendered, region-neutral article, with the caches that
 * make the warm path cheap:
 *
 * - parsed front matter and body, by slug and content hash, so a 304 costs a
 *   KV read and a hash, never a markdown render;
 * - the rendered page, split around the banner slot and already UTF-8
 *   encoded, by origin, slug and content hash, so a 200 costs two copies;
 * - the last good version of each slug, served when KV fails.
 *
 * All three live in one byte-bounded LRU. A new version of an article has a
 * new hash, so it can never be answered from an old render.
 */
import type { KVNamespace } from '@cloudflare/workers-types';
import { parseArticle, type ArticleMeta } from '../content/article.ts';
import { ByteLimitedCache } from '../storage/lru.ts';
import { usable, type Refreshable } from '../storage/memo.ts';
import { imageInfo, loadImageSizes, type ImageResizing } from '../media/images.ts';
import type { Meter } from '../http/server-timing.ts';
import { addToGallery, finishBody, prepareBody, type GalleryContext, type GalleryImage } from '../content/markdown.ts';
import { BANNER_SLOT, renderArticlePage, renderGalleryPage, type Site } from '../views/pages.ts';
import { StorageUnavailableError, StoredContentError, getArticle, type KvReadOptions } from '../storage/kv.ts';

/** One version of an article, parsed. */
export interface ArticleVersion {
  slug: string;
  /** SHA-256 of the stored file: the content version. */
  hash: string;
  meta: ArticleMeta;
  body: string;
}

/** The region-neutral rendering of one version. */
export interface ArticleRender {
  /** The body alone, as safe HTML (for the JSON API). */
  bodyHtml: string;
  /** Every picture, in reading order: the main image, then the body's. */
  gallery: GalleryImage[];
  /** The page up to the banner slot, and after it, as UTF-8. */
  before: Uint8Array;
  after: Uint8Array;
}

export interface LoadedArticle {
  version: ArticleVersion;
  /** True when KV failed and this is the last version seen before. */
  stale: boolean;
}

type Parsed = ArticleVersion | { error: string };

let cache: ByteLimitedCache<Parsed | ArticleRender | Uint8Array> | undefined;

/**
 * What each slug last read as: its hash (null when there was no such key) and
 * when. Within `ISOLATE_CACHE_TTL` this answers without a KV read; at any age
 * it names the last good version to fall back on when KV fails. Bounded by
 * count; entries are tiny, the articles themselves live in the byte-bounded cache.
 */
const seen = new Map<string, Refreshable & { hash: string | null }>();
const SEEN_LIMIT = 50_000;

/**
 * The shared cache, with the budget the current configuration asks for.
 * Without a budget (for inspection), the cache as it is.
 */
export function articleCache(maxBytes?: number): ByteLimitedCache<Parsed | ArticleRender | Uint8Array> {
  if (!cache) cache = new ByteLimitedCache(maxBytes ?? 32 * 1024 * 1024);
  else if (maxBytes !== undefined && cache.maxBytes !== maxBytes) cache.resize(maxBytes);
  return cache;
}

export interface LoadOptions extends KvReadOptions {
  cacheBytes: number;
  /** Seconds a read is reused without asking KV again; 0 always asks. */
  isolateTtl: number;
}

/**
 * Reads and parses an article; null when there is no such key. Drafts are
 * returned too: the caller decides who may see them. When KV fails, the last
 * good version comes back marked stale if it is still in memory; otherwise the
 * {@link StorageUnavailableError} propagates. A stored file that does not
 * parse throws {@link StoredContentError}.
 */
export async function loadArticle(kv: KVNamespace, slug: string, options: LoadOptions, meter?: Meter): Promise<LoadedArticle | null> {
  const memory = articleCache(options.cacheBytes);
  const recent = seen.get(slug);
  if (recent && usable(recent, options.isolateTtl * 1000, options.timeoutMs)) {
    if (recent.hash === null) return null;
    const parsed = memory.get(parsedKey(slug, recent.hash)) as Parsed | undefined;
    if (parsed) return checked(slug, parsed, false);
  }

  let stored;
  if (recent) recent.refreshingSince = Date.now();
  try {
    stored = await getArticle(kv, slug, options, meter);
  } catch (error) {
    if (recent) recent.refreshingSince = undefined;
    if (!(error instanceof StorageUnavailableError)) throw error;
    const previous = recent?.hash ? (memory.get(parsedKey(slug, recent.hash)) as Parsed | undefined) : undefined;
    if (previous && !('error' in previous)) {
      console.warn(JSON.stringify({ event: 'storage.stale', slug, error: error.message }));
      return { version: previous, stale: true };
    }
    throw error;
  }
  remember(slug, stored?.hash ?? null);
  if (!stored) return null;

  const key = parsedKey(slug, stored.hash);
  let parsed = memory.get(key) as Parsed | undefined;
  if (!parsed) {
    const result = parseArticle(stored.source, slug);
    if (result.ok) {
      const { body, bodyLine: _, ...fields } = result.article;
      // The key is the article's address, whatever its front matter says.
      parsed = { slug, hash: stored.hash, meta: { ...fields, slug }, body };
    } else {
      const first = result.problems.find((p) => p.severity === 'error') ?? result.problems[0]!;
      parsed = { error: `line ${first.line}: ${first.message}` };
    }
    memory.set(key, parsed, stored.source.length * 2 + 512);
  }
  return checked(slug, parsed, false);
}

function checked(slug: string, parsed: Parsed, stale: boolean): LoadedArticle {
  if ('error' in parsed) throw new StoredContentError(slug, parsed.error);
  return { version: parsed, stale };
}

function remember(slug: string, hash: string | null): void {
  seen.delete(slug);
  if (seen.size >= SEEN_LIMIT) seen.delete(seen.keys().next().value!);
  seen.set(slug, { hash, readAt: Date.now() });
}

/** How to render: the site, the page version (part of the cache key), and what images need. */
export interface RenderContext {
  site: Site;
  version: string;
  kv: KVNamespace;
  kvOptions: KvReadOptions;
  imageResizing: ImageResizing;
  cacheBytes: number;
  /** Counts the media reads a cold render makes. */
  meter?: Meter;
}

/**
 * The region-neutral page for a version, rendered at most once per isolate
 * while it stays cached. Markdown is tokenised once; the sizes of the images it
 * shows are looked up in between, so figures carry width and height.
 */
export async function renderArticle(version: ArticleVersion, context: RenderContext): Promise<ArticleRender> {
  const memory = articleCache(context.cacheBytes);
  const key = renderKey(version, context);
  const cached = memory.get(key) as ArticleRender | undefined;
  if (cached) return cached;
  const render = await splitRender(version, context);
  memory.set(key, render, render.before.byteLength + render.after.byteLength + render.bodyHtml.length * 2);
  return render;
}

/**
 * The whole page for one region: the region-neutral render with that region's
 * banner stitched in. Kept too, so the warm path copies nothing.
 */
export async function renderArticleFor(
  version: ArticleVersion,
  context: RenderContext,
  banner: { bytes: Uint8Array; version: string },
): Promise<Uint8Array> {
  const memory = articleCache(context.cacheBytes);
  const key = `page|${banner.version}|${renderKey(version, context)}`;
  const cached = memory.get(key) as Uint8Array | undefined;
  if (cached) return cached;
  const render = await renderArticle(version, context);
  const page = new Uint8Array(render.before.byteLength + banner.bytes.byteLength + render.after.byteLength);
  page.set(render.before, 0);
  page.set(banner.bytes, render.before.byteLength);
  page.set(render.after, render.before.byteLength + banner.bytes.byteLength);
  memory.set(key, page, page.byteLength);
  return page;
}

function renderKey(version: ArticleVersion, context: RenderContext): string {
  return `render|${context.version}|${context.site.origin}|${version.slug}|${version.hash}`;
}

/**
 * An editor's preview: always rendered fresh, never cached, marked as a
 * preview. `galleryHref` is the signed link to the preview of its gallery.
 */
export function renderPreview(version: ArticleVersion, context: RenderContext, galleryHref: string): Promise<ArticleRender> {
  return splitRender(version, context, galleryHref, true);
}

/** Where an article's gallery is: `/gallery/<slug>` (not under the article, whose slug may itself end in "gallery"). */
export function galleryPath(slug: string): string {
  return `/gallery/${slug}`;
}

/**
 * The gallery page of a version, rendered at most once per isolate while it
 * stays cached (from the article's own render, so the numbering always
 * matches its links). Null when the article has no pictures.
 */
export async function renderGallery(version: ArticleVersion, context: RenderContext): Promise<Uint8Array | null> {
  const memory = articleCache(context.cacheBytes);
  const key = `gallery|${renderKey(version, context)}`;
  const cached = memory.get(key) as Uint8Array | undefined;
  if (cached) return cached;
  const { gallery } = await renderArticle(version, context);
  if (gallery.length === 0) return null;
  const page = new TextEncoder().encode(renderGalleryPage({ site: context.site, article: version.meta, images: gallery }));
  memory.set(key, page, page.byteLength);
  return page;
}

/** The gallery of an editor's preview: rendered fresh, with links back to the signed preview. */
export async function renderPreviewGallery(version: ArticleVersion, context: RenderContext, previewHref: string, galleryHref: string): Promise<string | null> {
  const { gallery } = await renderPreview(version, context, galleryHref);
  return gallery.length ? renderGalleryPage({ site: context.site, article: version.meta, images: gallery, articleHref: previewHref }) : null;
}

async function splitRender(version: ArticleVersion, context: RenderContext, galleryHref = galleryPath(version.slug), preview = false): Promise<ArticleRender> {
  const prepared = prepareBody(version.body);
  const main = version.meta.image;
  const sources = [...prepared.images, ...(main ? [main.src] : [])];
  const images = imageInfo(await loadImageSizes(context.kv, sources, context.kvOptions, context.meter), context.imageResizing);
  // The main image is the gallery's first picture; the body's follow as they render.
  const pictures: GalleryContext = { href: galleryHref, images: [] };
  const mainLink = main ? addToGallery(pictures, main.src, main.alt, main.caption, main.credit, images) : null;
  const { html: bodyHtml, degraded } = finishBody(prepared, images, pictures);
  if (degraded) console.warn(JSON.stringify({ event: 'render.degraded', slug: version.slug, reason: degraded }));
  const page = renderArticlePage({
    site: context.site, article: version.meta, bodyHtml, wordCount: countWords(version.body), images, preview, galleryLink: mainLink,
  });
  const slot = page.indexOf(BANNER_SLOT);
  const encoder = new TextEncoder();
  return {
    bodyHtml,
    gallery: pictures.images,
    before: encoder.encode(page.slice(0, slot)),
    after: encoder.encode(page.slice(slot + BANNER_SLOT.length)),
  };
}

function parsedKey(slug: string, hash: string): string {
  return `parsed|${slug}|${hash}`;
}

/** Words for the reading time: runs of non-space characters, counted in one cheap pass. */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}
