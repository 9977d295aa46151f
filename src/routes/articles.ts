/**
 * Routes for one article: its page (with the reader's banner), its JSON, its
 * gallery, and an editor's signed preview of either. Articles come from KV;
 * what KV gives is checked against the version the D1 index holds before a
 * cache may keep it, and the index is brought in line after the response.
 */
import type { Context } from 'hono';
import { loadArticle } from '../articles/load.ts';
import {
  loadArticlePage, loadArticleRender, loadGalleryPage, loadPreviewGallery, loadPreviewPage,
} from '../articles/render.ts';
import { articleFreshness, bannersFreshness } from '../articles/freshness.ts';
import { loadIndexedVersion } from '../articles/indexed-version.ts';
import type { ArticleVersion } from '../articles/types.ts';
import { ARTICLES_TAG, articleTag } from '../content/cache-tags.ts';
import { verifyPreview } from '../content/preview-link.ts';
import type { AppEnv } from '../http/app-env.ts';
import { PRIVATE, entityTag, lastModifiedOf, type Representation } from '../http/cache-headers.ts';
import { renderContext } from '../http/context.ts';
import { slugAfter } from '../http/request.ts';
import { gone, later, movedPermanently, notFound, respond } from '../http/respond.ts';
import { ensureIndexed } from '../indexing/write-back.ts';
import { ARM_HEADER, pageBanner, requestedArm } from '../region/banner-choice.ts';
import { loadBannerCopy } from '../region/banner-store.ts';
import { indexDb } from '../storage/index-db.ts';
import type { IndexedVersion } from '../storage/index-sql.ts';
import { renderArticleJson } from '../views/article-json.ts';
import { renderNotFoundPage, renderPreviewRefusedPage } from '../views/error-pages.ts';

const HTML = 'text/html; charset=utf-8';

/** `/articles/<slug>`: the page, with the banner for the reader's region. */
export async function articlePage(c: Context<AppEnv>): Promise<Response> {
  const found = await publishedArticle(c, '/articles/');
  if (found instanceof Response) return found;
  const { article, stale, held } = found;
  const copy = await currentBannerCopy(c, held);
  const { banner, until } = pageBanner(c, copy.value, article.meta, requestedArm(c));
  // A test starting or ending changes the page with no write: no cache keeps it past then.
  const rep = { ...articleRepresentation(c, article, c.get('region'), banner.version), ...(until !== undefined && { expiresAt: until }) };
  const res = await respond(c, rep, HTML, stale || copy.stale, () => c.get('meter').render(() => loadArticlePage(article, renderContext(c), banner)));
  // Behind a cache that carries the reader's arm in a header, each arm is its own variant.
  if (c.get('config').bannerTestAssignment === 'header') res.headers.append('Vary', ARM_HEADER);
  return res;
}

/** `/api/articles/<slug>`: metadata and the body as HTML, region-neutral. */
export async function articleJson(c: Context<AppEnv>): Promise<Response> {
  const found = await publishedArticle(c, '/api/articles/');
  if (found instanceof Response) return found;
  const { article, stale } = found;
  const rep = articleRepresentation(c, article, 'json');
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
  const rep = articleRepresentation(c, article, 'gallery');
  return respond(c, rep, HTML, stale, () => c.get('meter').render(() => loadGalleryPage(article, renderContext(c))));
}

/** `/preview/<slug>?expires&sig`: an editor's view of a draft or scheduled article, with the region's banner. */
export function previewPage(c: Context<AppEnv>): Promise<Response> {
  return preview(c, '/preview/', async (version, signed) => {
    const copy = await loadBannerCopy(c.env.ARTICLES, c.get('config').kvOptions, { now: c.get('now'), meter: c.get('meter') });
    // What a reader not in a test would see: the group's copy, after the rules.
    return loadPreviewPage(version, renderContext(c), pageBanner(c, copy.value, version.meta, null).banner, signed);
  });
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

/** The purge tags of everything made from one article, so publishing it drops even its cached 404. */
function articleTags(slug: string): string[] {
  return [articleTag(slug), ARTICLES_TAG];
}

/**
 * The published article whose slug follows `prefix` in the path; a 404
 * response when there is none, the slug is malformed (answered without
 * reading KV), it is a draft, or it is scheduled (cacheable only until it
 * appears). A slug that is no article but an alias of one answers a 301 to
 * the same route for the article (one hop: writers keep every alias pointing
 * at a current slug); one taken down answers 410. KV and the index are read side by side: what KV gave is checked
 * against the version an editor last published (`articles/freshness.ts`),
 * and an upload that skipped the publish command gets its row written after
 * the response, so it reaches the lists.
 */
async function publishedArticle(c: Context<AppEnv>, prefix: string) {
  const config = c.get('config'), now = c.get('now');
  const slug = slugAfter(c.get('path'), prefix);
  if (slug === null) return notFound(c);
  const tags = articleTags(slug);
  const load = (fresh: boolean) => loadArticle(c.env.ARTICLES, slug, config.kvOptions, { now, meter: c.get('meter'), fresh });
  const [first, held] = await Promise.all([
    load(false), loadIndexedVersion(c.get('index'), slug, { now, isolateTtl: config.isolateCacheTtl, timeoutMs: config.d1TimeoutMs }),
  ]);
  let loaded = first;
  let freshness = articleFreshness(held, loaded?.version ?? null, config.indexTrustMs);
  if (freshness === 'behind') {
    // The isolate may remember an older read than KV now gives: ask KV itself.
    loaded = await load(true);
    freshness = articleFreshness(held, loaded?.version ?? null, config.indexTrustMs);
    if (freshness === 'behind') console.warn(JSON.stringify({ event: 'article.behind_index', slug, kv: loaded?.version.hash ?? null, index: held?.hash ?? null }));
  }
  if (loaded && !loaded.stale && held && held.hash !== loaded.version.hash && freshness !== 'behind' && freshness !== 'removed') {
    const background = indexDb(c.env.INDEX, config.d1TimeoutMs);
    later(c)(ensureIndexed(background, loaded.version, { writer: 'reader', trustMs: config.indexTrustMs }, held).catch((error: unknown) => {
      console.warn(JSON.stringify({ event: 'index.write_back_failed', slug, error: String(error) }));
    }));
  }
  if (!loaded || freshness === 'removed') {
    // Both come with the version check, from D1: an alias costs no KV read, let alone a list.
    if (held?.aliasOf) return movedPermanently(c, prefix + held.aliasOf, [...tags, articleTag(held.aliasOf)]);
    if (held?.gone === 1) return gone(c, { tags, reason: held.goneReason });
  }
  if (!loaded) return notFound(c, { tags, stale: freshness === 'behind' });
  const { version } = loaded;
  if (freshness === 'removed' || version.meta.draft) return notFound(c, { tags });
  const publishedAt = Date.parse(version.meta.date);
  if (publishedAt > now) return notFound(c, { until: publishedAt, tags });
  return { article: version, stale: loaded.stale || freshness === 'behind', held };
}

/**
 * The banner copy for this page: editors' copy from KV when they have
 * published some, else the code's own; checked against the version the index
 * holds like the article itself, and `stale` when it is behind or KV failed.
 */
async function currentBannerCopy(c: Context<AppEnv>, held: IndexedVersion | null) {
  const config = c.get('config'), now = c.get('now');
  const load = (fresh: boolean) => loadBannerCopy(c.env.ARTICLES, config.kvOptions, { now, meter: c.get('meter'), fresh });
  let copy = await load(false);
  if (bannersFreshness(held, copy, config.indexTrustMs) === 'behind') {
    copy = await load(true);
    if (bannersFreshness(held, copy, config.indexTrustMs) === 'behind') return { ...copy, stale: true };
  }
  return copy;
}

/**
 * What caches need to know of one response made from `article`: an ETag from
 * its content hash, the variant (the region group, or what the route makes),
 * the request's page version and the banner's version when there is a
 * banner; Last-Modified from its dates; and the article's purge tags.
 */
function articleRepresentation(c: Context<AppEnv>, article: ArticleVersion, variant: string, bannerVersion?: string): Representation {
  const parts = [article.hash.slice(0, 16), variant, c.get('version')];
  return {
    etag: entityTag(...(bannerVersion === undefined ? parts : [...parts, bannerVersion])),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: articleTags(article.slug),
  };
}
