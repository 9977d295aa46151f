/**
 * Routes for one article: its page (with the reader's banner), its JSON, its
 * gallery, and an editor's signed preview of either. Articles come from KV;
 * whatever KV holds is checked against the D1 index after the response.
 */
import type { Context } from 'hono';
import { loadArticle } from '../articles/load.ts';
import {
  loadArticlePage, loadArticleRender, loadGalleryPage, loadPreviewGallery, loadPreviewPage,
} from '../articles/render.ts';
import type { ArticleVersion } from '../articles/types.ts';
import { verifyPreview } from '../content/preview-link.ts';
import type { AppEnv } from '../http/app-env.ts';
import { PRIVATE, articleTag, entityTag, lastModifiedOf, type Representation } from '../http/cache-headers.ts';
import { renderContext } from '../http/context.ts';
import { slugAfter } from '../http/request.ts';
import { later, notFound, respond } from '../http/respond.ts';
import { ensureIndexed, knownIndexed } from '../indexing/write-back.ts';
import { bannerFor, type RenderedBanner } from '../region/banner.ts';
import { loadBannerOverrides } from '../region/banner-store.ts';
import { indexDb } from '../storage/index-db.ts';
import { renderArticleJson } from '../views/article-json.ts';
import { renderNotFoundPage, renderPreviewRefusedPage } from '../views/error-pages.ts';

const HTML = 'text/html; charset=utf-8';

/** `/articles/<slug>`: the page, with the banner for the reader's region. */
export async function articlePage(c: Context<AppEnv>): Promise<Response> {
  const found = await publishedArticle(c, '/articles/');
  if (found instanceof Response) return found;
  const { article, stale } = found;
  const banner = await regionBanner(c);
  const rep = articleRepresentation(c, article, c.get('region'), 'articles', banner.version);
  return respond(c, rep, HTML, stale, () => c.get('meter').render(() => loadArticlePage(article, renderContext(c), banner)));
}

/** `/api/articles/<slug>`: metadata and the body as HTML, region-neutral. */
export async function articleJson(c: Context<AppEnv>): Promise<Response> {
  const found = await publishedArticle(c, '/api/articles/');
  if (found instanceof Response) return found;
  const { article, stale } = found;
  const rep = articleRepresentation(c, article, 'json', 'api');
  return respond(c, rep, 'application/json; charset=utf-8', stale, async () => {
    const { bodyHtml } = await c.get('meter').render(() => loadArticleRender(article, renderContext(c)));
    return renderArticleJson(c.get('site'), article.meta, bodyHtml);
  });
}

/**
 * `/gallery/<slug>`: every picture of the article at full size, cached like
 * it and purged with it, region-neutral. A draft's or a scheduled article's
 * gallery is reached only through its signed preview link.
 */
export async function galleryPage(c: Context<AppEnv>): Promise<Response> {
  if (c.req.query('sig') !== undefined) {
    return preview(c, '/gallery/', (version, signed) => loadPreviewGallery(version, renderContext(c), signed));
  }
  const found = await publishedArticle(c, '/gallery/');
  if (found instanceof Response) return found;
  const { article, stale } = found;
  const rep = articleRepresentation(c, article, 'gallery', 'articles');
  return respond(c, rep, HTML, stale, () => c.get('meter').render(() => loadGalleryPage(article, renderContext(c))));
}

/** `/preview/<slug>?expires&sig`: an editor's view of a draft or scheduled article, with the region's banner. */
export function previewPage(c: Context<AppEnv>): Promise<Response> {
  return preview(c, '/preview/', async (version, signed) => loadPreviewPage(version, renderContext(c), await regionBanner(c), signed));
}

/**
 * A signed preview: for one browser only (`private, no-store`), never
 * indexed. A link that has expired or was altered gets a page saying so.
 */
async function preview(
  c: Context<AppEnv>, prefix: string, render: (version: ArticleVersion, signed: string) => Promise<Uint8Array | string | null>,
): Promise<Response> {
  const site = c.get('site');
  const slug = slugAfter(c.get('path'), prefix);
  const secret = c.env.PREVIEW_SECRET;
  const privateHeaders = { 'Cache-Control': PRIVATE, 'X-Robots-Tag': 'noindex' };
  if (!secret) {
    console.error(JSON.stringify({ event: 'preview.disabled', reason: 'PREVIEW_SECRET is not set' }));
    return c.html(renderNotFoundPage(site), 404, privateHeaders);
  }
  const expires = c.req.query('expires'), sig = c.req.query('sig');
  const check = slug === null ? 'invalid' : await verifyPreview(secret, slug, expires, sig, c.get('now'));
  if (check !== 'valid') return c.html(renderPreviewRefusedPage(site, check), 403, privateHeaders);
  const loaded = await loadArticle(c.env.ARTICLES, slug!, c.get('config').kvOptions, { now: c.get('now'), meter: c.get('meter') });
  const body = loaded && (await render(loaded.version, `?expires=${expires}&sig=${sig}`));
  if (!body) return c.html(renderNotFoundPage(site), 404, privateHeaders);
  return c.body(body as Uint8Array<ArrayBuffer> | string, 200, { ...privateHeaders, 'Content-Type': HTML });
}

/**
 * The published article whose slug follows `prefix` in the path; a 404
 * response when there is none, the slug is malformed (answered without
 * reading KV), it is a draft, or it is scheduled (cacheable only until it
 * appears). Whatever KV holds is checked against the index after the
 * response, so an upload that skipped the publish command reaches the lists.
 */
async function publishedArticle(c: Context<AppEnv>, prefix: string) {
  const config = c.get('config'), now = c.get('now');
  const slug = slugAfter(c.get('path'), prefix);
  if (slug === null) return notFound(c);
  const loaded = await loadArticle(c.env.ARTICLES, slug, config.kvOptions, { now, meter: c.get('meter') });
  if (!loaded) return notFound(c);
  const { version } = loaded;
  if (!loaded.stale && !knownIndexed(version)) {
    const background = indexDb(c.env.INDEX, config.d1TimeoutMs);
    later(c)(ensureIndexed(background, version, { writer: 'reader', now, trustMs: config.indexTrustMs }).catch((error: unknown) => {
      console.warn(JSON.stringify({ event: 'index.write_back_failed', slug, error: String(error) }));
    }));
  }
  if (version.meta.draft) return notFound(c);
  const publishedAt = Date.parse(version.meta.date);
  if (publishedAt > now) return notFound(c, publishedAt);
  return { article: version, stale: loaded.stale };
}

/** The reader's banner: editors' copy from KV when they have published some, else the code default. */
async function regionBanner(c: Context<AppEnv>): Promise<RenderedBanner> {
  const config = c.get('config');
  const overrides = await loadBannerOverrides(c.env.ARTICLES, config.kvOptions, { now: c.get('now'), meter: c.get('meter') });
  return bannerFor(c.get('region'), overrides[c.get('region')]);
}

/**
 * What caches need to know of one response made from `article`: an ETag from
 * its content hash, the variant (the region group, or what the route makes),
 * the page version and the banner's version when there is a banner;
 * Last-Modified from its dates; and the article's purge tag with the route's.
 */
function articleRepresentation(c: Context<AppEnv>, article: ArticleVersion, variant: string, routeTag: string, bannerVersion?: string): Representation {
  const parts = [article.hash.slice(0, 16), variant, c.get('config').pageVersion];
  return {
    etag: entityTag(...(bannerVersion === undefined ? parts : [...parts, bannerVersion])),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(article.slug), routeTag],
  };
}
