/**
 * From a parsed article version to its pages, each rendered at most once per
 * isolate while it stays in the render cache: the region-neutral page (split
 * at the banner slot), the page for one region with its banner stitched in,
 * and the gallery. Each does I/O: a cold render reads the sizes of the images
 * it shows from R2 (or KV, before media are migrated). Editors' previews render fresh and are never cached.
 */
import { addToGallery, prepareBody, type GalleryContext } from '../content/markdown.ts';
import type { Meter } from '../http/server-timing.ts';
import { imageInfo, loadImageSizes, type ImageResizing } from '../media/images.ts';
import type { RenderedBanner } from '../region/banner.ts';
import type { MediaSources } from '../storage/media-store.ts';
import { BANNER_SLOT, renderArticlePage } from '../views/article-page.ts';
import { renderGalleryPage } from '../views/gallery-page.ts';
import { t, type Site } from '../views/layout.ts';
import { cached, keep } from './render-cache.ts';
import type { ArticleRender, ArticleVersion } from './types.ts';

/** How to render: the site, the page version (part of every cache key), and what images need. */
export interface RenderContext {
  site: Site;
  version: string;
  /** Where the images' sizes are read from. */
  media: MediaSources;
  imageResizing: ImageResizing;
  cacheBytes: number;
  /** Counts the media reads a cold render makes. */
  meter?: Meter;
}

/** Where an article's gallery is: `/gallery/<slug>` (not under the article, whose slug may itself end in "gallery"). */
export function galleryPath(slug: string): string {
  return `/gallery/${slug}`;
}

/**
 * The region-neutral rendering of a version. Markdown is tokenised once; the
 * sizes of the images it shows are looked up in between, so figures carry
 * width and height.
 */
export async function loadArticleRender(version: ArticleVersion, context: RenderContext): Promise<ArticleRender> {
  const key = renderKey(version, context);
  const kept = cached('render', key, context.cacheBytes);
  if (kept) return kept;
  const render = await renderVersion(version, context, galleryPath(version.slug), false);
  keep('render', key, render, render.before.byteLength + render.after.byteLength + render.bodyHtml.length * 2, context.cacheBytes);
  return render;
}

/** The whole page for one region: the region-neutral render with that region's banner stitched in. */
export async function loadArticlePage(version: ArticleVersion, context: RenderContext, banner: RenderedBanner): Promise<Uint8Array> {
  const key = `${banner.version}|${renderKey(version, context)}`;
  const kept = cached('page', key, context.cacheBytes);
  if (kept) return kept;
  const page = stitch(await loadArticleRender(version, context), banner);
  keep('page', key, page, page.byteLength, context.cacheBytes);
  return page;
}

/** The gallery page of a version (from the article's own render, so the numbering matches its links); null when it has no pictures. */
export async function loadGalleryPage(version: ArticleVersion, context: RenderContext): Promise<Uint8Array | null> {
  const key = renderKey(version, context);
  const kept = cached('gallery', key, context.cacheBytes);
  if (kept) return kept;
  const { gallery } = await loadArticleRender(version, context);
  if (gallery.length === 0) return null;
  const page = new TextEncoder().encode(renderGalleryPage({ site: context.site, article: version.meta, images: gallery }));
  keep('gallery', key, page, page.byteLength, context.cacheBytes);
  return page;
}

/**
 * An editor's preview of a version with a region's banner, marked as a
 * preview. `signed` is the preview link's query, carried to its gallery.
 */
export async function loadPreviewPage(version: ArticleVersion, context: RenderContext, banner: RenderedBanner, signed: string): Promise<Uint8Array> {
  return stitch(await renderVersion(version, context, `${galleryPath(version.slug)}${signed}`, true), banner);
}

/** The gallery of an editor's preview, with links back to the signed preview; null when it has no pictures. */
export async function loadPreviewGallery(version: ArticleVersion, context: RenderContext, signed: string): Promise<string | null> {
  const { gallery } = await renderVersion(version, context, `${galleryPath(version.slug)}${signed}`, true);
  if (gallery.length === 0) return null;
  return renderGalleryPage({ site: context.site, article: version.meta, images: gallery, articleHref: `/preview/${version.slug}${signed}` });
}

async function renderVersion(version: ArticleVersion, context: RenderContext, galleryHref: string, preview: boolean): Promise<ArticleRender> {
  const prepared = prepareBody(version.body);
  const main = version.meta.image;
  const sources = [...prepared.images, ...(main ? [main.src] : [])];
  const images = imageInfo(await loadImageSizes(context.media, sources), context.imageResizing);
  // The main image is the gallery's first picture; the body's follow as they render.
  const m = t(context.site);
  const pictures: GalleryContext = { href: galleryHref, images: [], labels: { open: m.openInGallery, image: m.galleryImage } };
  const mainLink = main ? addToGallery(pictures, main.src, main.alt, main.caption, main.credit, images) : null;
  const bodyHtml = prepared.render(images, pictures);
  if (prepared.degraded) console.warn(JSON.stringify({ event: 'render.degraded', slug: version.slug, reason: prepared.degraded }));
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

/** The page with a banner in its slot: the one place bytes are joined. */
function stitch(render: ArticleRender, banner: RenderedBanner): Uint8Array {
  const page = new Uint8Array(render.before.byteLength + banner.bytes.byteLength + render.after.byteLength);
  page.set(render.before, 0);
  page.set(banner.bytes, render.before.byteLength);
  page.set(render.after, render.before.byteLength + banner.bytes.byteLength);
  return page;
}

function renderKey(version: ArticleVersion, context: RenderContext): string {
  return `${context.version}|${context.site.origin}|${version.slug}|${version.hash}`;
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
