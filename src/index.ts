/**
 * Broadsheet: route wiring. Articles are read from KV through `articles.ts`;
 * lists, feeds and sitemaps from the D1 index through `listing/`. Each handler
 * describes its response to `http-cache.ts` (validators and purge tags) and
 * only renders when the client has no current copy.
 */
import { Hono, type Context } from 'hono';
import {
  galleryPath, loadArticle, renderArticle, renderArticleFor, renderGallery, renderPreview, renderPreviewGallery,
  type ArticleVersion, type LoadOptions, type RenderContext,
} from './articles/render.ts';
import { bannerFor } from './region/banner.ts';
import { loadBannerOverrides } from './region/banner-store.ts';
import { getConfig, type Config } from './config.ts';
import {
  NEWS_SITEMAP_PATH, renderFeed, renderNewsSitemap, renderRobots, renderSitemap, renderSitemapIndex, type FeedScope, type SitemapLink,
} from './views/feeds.ts';
import { fingerprint } from './content/fingerprint.ts';
import type { AppEnv } from './http/app-env.ts';
import { later, notFound, respond } from './http/respond.ts';
import { Meter } from './http/server-timing.ts';
import { IMMUTABLE, NO_STORE, PRIVATE, articleTag, cacheHeaders, entityTag, lastModifiedOf, type Representation } from './http/cache-headers.ts';
import { reconcile } from './indexing/reconcile.ts';
import { ensureIndexed, knownIndexed } from './indexing/write-back.ts';
import { lastListBody, listBody } from './listing/bodies.ts';
import { listEntries, monthEntries, recentEntries, sitemapMonths } from './listing/entries.ts';
import { searchArticles, searchQuery } from './listing/search.ts';
import { loadListState, type ListState } from './listing/state.ts';
import {
  listFeedPath, listPath, listTitle, renderErrorPage, renderListPage, renderNotFoundPage, renderPreviewRefusedPage, renderSearchPage,
  type ListView, type Site,
} from './views/pages.ts';
import { verifyPreview } from './content/preview-link.ts';
import { regionDetector } from './region/region.ts';
import { mediaHeaders, securityHeaders } from './http/security-headers.ts';
import { SEGMENT_PATTERN, isValidSlug } from './content/slug.ts';
import { StorageUnavailableError, StoredContentError } from './storage/failures.ts';
import { indexDb } from './storage/index-db.ts';
import { FRONT_LIST, authorList, sectionList, tagList } from './storage/index-rows.ts';
import { SEARCH_CANDIDATES, browsableListsStatement } from './storage/index-sql.ts';
import { getMedia } from './storage/kv.ts';
import { FAVICON, STYLESHEET, STYLESHEET_PATH } from './views/styles.ts';
import { pageVersion } from './versions.ts';

export type { AppEnv } from './http/app-env.ts';

const ALLOWED_METHODS = 'GET, HEAD';
const HTML = 'text/html; charset=utf-8';
const XML = 'application/xml; charset=utf-8';
const ATOM = 'application/atom+xml; charset=utf-8';

/** The Google News sitemap covers articles of the last 48 hours, at most 1,000 of them. */
const NEWS_WINDOW_MS = 48 * 3600 * 1000;
const NEWS_LIMIT = 1000;

const app = new Hono<AppEnv>();

function regionSources(env: unknown) {
  return getConfig(env as Env).region;
}

app.use('/media/*', mediaHeaders);
app.use('*', securityHeaders);

app.use('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    return c.text('Method Not Allowed\n', 405, { Allow: ALLOWED_METHODS, 'Cache-Control': NO_STORE });
  }
  const config = getConfig(c.env);
  const url = c.req.url;
  const meter = new Meter();
  c.set('config', config);
  c.set('path', rawPath(url));
  c.set('site', siteFor(config, url));
  c.set('version', pageVersion(c.env.CF_VERSION_METADATA?.id, config.pageSettings));
  c.set('kv', loadOptionsFor(config));
  c.set('now', Date.now());
  c.set('meter', meter);
  c.set('index', indexDb(c.env.INDEX, config.d1TimeoutMs, meter));
  await next();
  if (c.res.status !== 405) c.res.headers.set('Server-Timing', meter.header());
});

/**
 * The lists readers browse: the front page, a section, a topic (tag) or an
 * author, each with its page and its Atom feed. `view` names the list once its
 * state (with a tag's or author's name as written) is known.
 */
const LISTS: Record<string, { list: (key: string) => string; view: (key: string, state: ListState) => ListView }> = {
  sections: { list: sectionList, view: (section) => ({ kind: 'section', section }) },
  tags: { list: tagList, view: (slug, state) => ({ kind: 'tag', slug, name: state.name ?? slug }) },
  authors: { list: authorList, view: (slug, state) => ({ kind: 'author', slug, name: state.name ?? slug, ...(state.url && { url: state.url }) }) },
};

app.get('/', (c) => listPage(c, FRONT_LIST, () => ({ kind: 'front' })));
app.get('/feed.xml', (c) => listFeed(c, FRONT_LIST, () => ({ kind: 'front' })));

for (const [prefix, { list, view }] of Object.entries(LISTS)) {
  app.get(`/${prefix}/:key`, (c) => {
    const key = c.req.param('key');
    return SEGMENT_PATTERN.test(key) ? listPage(c, list(key), (state) => view(key, state)) : notFound(c);
  });
  app.get(`/${prefix}/:key/feed.xml`, (c) => {
    const key = c.req.param('key');
    return SEGMENT_PATTERN.test(key) ? listFeed(c, list(key), (state) => view(key, state)) : notFound(c);
  });
}

/** Purge tags of a list's documents: `index`, and the list's own (`section:world`, `tag:climate`, `author:ruth-okafor`). */
function listTags(list: string, ...more: string[]): string[] {
  return list === FRONT_LIST ? ['index', ...more] : ['index', list, ...more];
}

/** One page of a list: newest first, paginated by `?page=`. */
function listPage(c: Context<AppEnv>, list: string, viewOf: (state: ListState) => ListView): Promise<Response> {
  const config = c.get('config'), site = c.get('site'), version = c.get('version');
  const page = parsePage(c.req.query('page'));
  if (page === null) return Promise.resolve(notFound(c));
  const name = list === FRONT_LIST ? 'front' : list;
  return listDocument(c, list, `${name}|${page}`, HTML, (state) => {
    // An empty section, topic or author is no page at all; an empty site still has a front page.
    if (list !== FRONT_LIST && state.total === 0) return null;
    const pageCount = Math.max(1, Math.ceil(state.total / config.indexPageSize));
    if (page > pageCount) return null;
    return {
      etag: entityTag(state.version, name, `p${page}`, version),
      tags: listTags(list),
      render: async () => {
        const entries = await listEntries(c.get('index'), list, {
          total: state.total, now: c.get('now'), page, size: config.indexPageSize, later: later(c),
        });
        return c.get('meter').render(() => renderListPage({ site, view: viewOf(state), entries, page, pageCount }));
      },
    };
  });
}

/** What a list document is, once the list's state is known: null when there is no such document. */
interface ListDocument {
  etag: string;
  tags: string[];
  /** Overrides the state's next scheduled time as the end of this document's lifetime. */
  expiresAt?: number;
  /** A shorter lifetime than the configured one (search results). */
  maxAge?: number;
  /** Reads what the document shows from D1 and renders it; null when it turns out to be empty. */
  render: () => Promise<string | null>;
}

/**
 * A document answered from the D1 index (a list page, a feed, a sitemap):
 * the list's state decides its ETag, so a 304 costs at most that one small
 * query; the body is read and rendered only when needed, once per index
 * version per isolate. When D1 fails, the last copy is served `no-store`, or
 * the request fails with a 503.
 */
async function listDocument(
  c: Context<AppEnv>,
  list: string,
  name: string,
  contentType: string,
  describe: (state: ListState) => ListDocument | null | Promise<ListDocument | null>,
): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  const key = `${c.get('site').origin}|${name}|${c.get('version')}`;
  let state: ListState, stale: boolean, doc: ListDocument | null;
  try {
    ({ state, stale } = await loadListState(c.get('index'), list, now, { isolateTtl: config.isolateCacheTtl, timeoutMs: config.d1TimeoutMs }));
    doc = await describe(state);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    const kept = lastListBody(key, config.listCacheBytes, error);
    return respond(c, { etag: kept.etag, tags: [] }, contentType, true, () => kept);
  }
  if (!doc) return notFound(c, state.nextScheduled);
  const expiresAt = doc.expiresAt ?? state.nextScheduled;
  const rep: Representation = {
    etag: doc.etag,
    tags: doc.tags,
    ...(state.lastModified !== undefined && { lastModified: state.lastModified }),
    ...(expiresAt !== undefined && { expiresAt }),
    ...(doc.maxAge !== undefined && { maxAge: doc.maxAge }),
  };
  return respond(c, rep, contentType, stale, () => listBody(key, rep.etag, config.listCacheBytes, doc.render));
}

app.get('/articles/*', regionDetector(regionSources), async (c) => {
  const found = await publishedArticle(c, '/articles/');
  if (found instanceof Response) return found;
  const { slug, article, stale } = found;
  const banner = await regionBanner(c);
  const rep = {
    etag: entityTag(article.hash.slice(0, 16), c.get('region'), c.get('version'), banner.version),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(slug), 'articles'],
  };
  return respond(c, rep, HTML, stale, () => c.get('meter').render(() => renderArticleFor(article, renderContext(c), banner)));
});

app.get('/preview/*', regionDetector(regionSources), (c) => preview(c, '/preview/', async (version, signed) => {
  const render = await renderPreview(version, renderContext(c), `${galleryPath(version.slug)}${signed}`);
  const banner = await regionBanner(c);
  return concat(render.before, banner.bytes, render.after);
}));

/**
 * An editor's signed preview of a draft or scheduled article, or of its
 * gallery: for one browser only (`private, no-store`), never indexed. A link
 * that has expired or was altered gets a page saying so.
 */
async function preview(
  c: Context<AppEnv>, prefix: string, render: (version: ArticleVersion, signed: string) => Promise<Uint8Array | string | null>,
): Promise<Response> {
  const site = c.get('site');
  const slug = slugFromPath(c, prefix);
  const secret = c.env.PREVIEW_SECRET;
  const privateHeaders = { 'Cache-Control': PRIVATE, 'X-Robots-Tag': 'noindex' };
  if (!secret) {
    console.error(JSON.stringify({ event: 'preview.disabled', reason: 'PREVIEW_SECRET is not set' }));
    return c.html(renderNotFoundPage(site), 404, privateHeaders);
  }
  const expires = c.req.query('expires'), sig = c.req.query('sig');
  const check = slug === null ? 'invalid' : await verifyPreview(secret, slug, expires, sig, c.get('now'));
  if (check !== 'valid') return c.html(renderPreviewRefusedPage(site, check), 403, privateHeaders);
  const loaded = await loadArticle(c.env.ARTICLES, slug!, c.get('kv'), c.get('meter'));
  const body = loaded && (await render(loaded.version, `?expires=${expires}&sig=${sig}`));
  if (!body) return c.html(renderNotFoundPage(site), 404, privateHeaders);
  return c.body(body as Uint8Array<ArrayBuffer> | string, 200, { ...privateHeaders, 'Content-Type': HTML });
}

/**
 * Every picture of an article at full size (DESIGN: `/gallery/<slug>`):
 * cached like the article, purged with it, region-neutral. A draft's or a
 * scheduled article's gallery is as invisible as the article, except through
 * its signed preview link.
 */
app.get('/gallery/*', async (c) => {
  if (c.req.query('sig') !== undefined) {
    return preview(c, '/gallery/', (version, signed) =>
      renderPreviewGallery(version, renderContext(c), `/preview/${version.slug}${signed}`, `${galleryPath(version.slug)}${signed}`));
  }
  const found = await publishedArticle(c, '/gallery/');
  if (found instanceof Response) return found;
  const { slug, article, stale } = found;
  const rep = {
    etag: entityTag(article.hash.slice(0, 16), 'gallery', c.get('version')),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(slug), 'articles'],
  };
  return respond(c, rep, HTML, stale, () => c.get('meter').render(() => renderGallery(article, renderContext(c))));
});

app.get('/api/articles/*', async (c) => {
  const found = await publishedArticle(c, '/api/articles/');
  if (found instanceof Response) return found;
  const { slug, article, stale } = found;
  const site = c.get('site');
  const rep = {
    etag: entityTag(article.hash.slice(0, 16), 'json', c.get('version')),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(slug), 'api'],
  };
  return respond(c, rep, 'application/json; charset=utf-8', stale, async () => {
    const { meta } = article;
    const { bodyHtml } = await c.get('meter').render(() => renderArticle(article, renderContext(c)));
    return JSON.stringify({
      slug: meta.slug,
      url: `${site.origin}/articles/${meta.slug}`,
      title: meta.title,
      standfirst: meta.standfirst ?? null,
      date: meta.date,
      updated: meta.updated ?? null,
      authors: meta.authors,
      section: meta.section ?? null,
      tags: meta.tags,
      image: meta.image ?? null,
      language: meta.language,
      html: bodyHtml,
    });
  });
});

/** An Atom feed of a list's newest articles. */
function listFeed(c: Context<AppEnv>, list: string, viewOf: (state: ListState) => ListView): Promise<Response> {
  const config = c.get('config');
  const name = list === FRONT_LIST ? 'feed' : `feed-${list}`;
  return listDocument(c, list, name, ATOM, (state) => {
    if (list !== FRONT_LIST && state.total === 0) return null;
    const view = viewOf(state);
    const scope: FeedScope = { path: listFeedPath(view), page: listPath(view), ...(view.kind !== 'front' && { title: listTitle(view) }) };
    return {
      etag: entityTag(state.version, name, c.get('version')),
      tags: listTags(list, 'feed'),
      render: async () => {
        const entries = await listEntries(c.get('index'), list, { total: state.total, now: c.get('now'), page: 1, size: config.feedSize });
        return c.get('meter').render(() => renderFeed(c.get('site'), entries, scope));
      },
    };
  });
}

/**
 * Full-text search: the reader's words (never their syntax) against the D1
 * index, ranked, with snippets. Cached briefly, by the normalised query and
 * page only; `noindex`.
 */
app.get('/search', (c) => {
  const config = c.get('config'), site = c.get('site'), version = c.get('version');
  const raw = c.req.query('q');
  const query = searchQuery(raw);
  const page = parsePage(c.req.query('page'));
  if (page === null || (!query.match && page > 1)) return notFound(c);
  if (!query.match) {
    const typed = (raw ?? '').trim() !== '';
    const rep = { etag: entityTag('search', typed ? 'no-words' : 'empty', version), tags: ['search'], maxAge: config.searchMaxAge };
    return respond(c, rep, HTML, false, () => renderSearchPage({ site, query: '', typed, results: [], total: 0, more: false, page: 1, pageCount: 1 }));
  }
  const match = query.match;
  return listDocument(c, FRONT_LIST, `search|${query.normalised}|${page}`, HTML, (state) => ({
    etag: entityTag(state.version, 'search', fingerprint(query.normalised), `p${page}`, version),
    tags: ['index', 'search'],
    maxAge: config.searchMaxAge,
    render: async () => {
      const { results, total } = await searchArticles(c.get('index'), match, { now: c.get('now'), page, size: config.indexPageSize });
      if (results.length === 0 && page > 1) return null;
      const pageCount = Math.max(1, Math.ceil(total / config.indexPageSize));
      return c.get('meter').render(() => renderSearchPage({
        site, query: query.normalised, typed: true, results, total, more: total >= SEARCH_CANDIDATES, page, pageCount,
      }));
    },
  }));
});

/**
 * The sitemap index: the site's pages, then one sitemap per month of
 * articles (split into parts of SITEMAP_URLS), newest first, each with when
 * it last changed.
 */
app.get('/sitemap.xml', (c) => {
  const config = c.get('config'), now = c.get('now');
  return listDocument(c, FRONT_LIST, 'sitemap', XML, (state) => ({
    etag: entityTag(state.version, 'sitemap', c.get('version')),
    tags: ['index', 'sitemap'],
    render: async () => {
      const months = await sitemapMonths(c.get('index'), now);
      const latestMonth = state.latestPublished === undefined ? null : new Date(state.latestPublished).toISOString().slice(0, 7);
      const children: SitemapLink[] = [{ path: '/sitemaps/pages.xml', ...(state.lastModified !== undefined && { lastmod: state.lastModified }) }];
      for (const m of months) {
        // A scheduled article that has since appeared changed its month without a write.
        const lastmod = m.month === latestMonth ? Math.max(m.lastmod, state.latestPublished!) : m.lastmod;
        for (let part = 1; part <= Math.ceil(m.total / config.sitemapUrls); part++) {
          children.push({ path: monthSitemapPath(m.month, part), lastmod: Math.min(lastmod, now) });
        }
      }
      return c.get('meter').render(() => renderSitemapIndex(c.get('site'), children));
    },
  }));
});

function monthSitemapPath(month: string, part: number): string {
  return `/sitemaps/articles-${month}${part > 1 ? `-${part}` : ''}.xml`;
}

const MONTH_SITEMAP = /^articles-(\d{4}-(?:0[1-9]|1[0-2]))(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/;

app.get('/sitemaps/:file', (c) => {
  const file = c.req.param('file');
  if (file === 'pages.xml') return pagesSitemap(c);
  if (`/sitemaps/${file}` === NEWS_SITEMAP_PATH) return newsSitemap(c);
  const month = MONTH_SITEMAP.exec(file);
  return month ? monthSitemap(c, month[1]!, Number(month[2] ?? 1)) : notFound(c);
});

/** The front page, then every section, topic and author page with articles (within SITEMAP_URLS). */
function pagesSitemap(c: Context<AppEnv>): Promise<Response> {
  const now = c.get('now');
  return listDocument(c, FRONT_LIST, 'sitemap-pages', XML, (state) => ({
    etag: entityTag(state.version, 'sitemap-pages', c.get('version')),
    tags: ['index', 'sitemap'],
    render: async () => {
      const lists = await c.get('index').all<{ list: string }>(browsableListsStatement(now, c.get('config').sitemapUrls - 1));
      const lastmod = state.lastModified;
      const folders: Record<string, string> = { section: 'sections', tag: 'tags', author: 'authors' };
      const paths = lists.map(({ list }) => {
        const colon = list.indexOf(':');
        return `/${folders[list.slice(0, colon)]}/${list.slice(colon + 1)}`;
      });
      const urls = ['/', ...paths].map((path) => ({ path, ...(lastmod !== undefined && { lastmod }) }));
      return c.get('meter').render(() => renderSitemap(c.get('site'), urls));
    },
  }));
}

/** One part of one month's articles, oldest first. */
function monthSitemap(c: Context<AppEnv>, month: string, part: number): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  const name = `sitemap-${month}-${part}`;
  return listDocument(c, FRONT_LIST, name, XML, (state) => ({
    etag: entityTag(state.version, name, c.get('version')),
    tags: ['index', 'sitemap'],
    render: async () => {
      const rows = await monthEntries(c.get('index'), month, { now, offset: (part - 1) * config.sitemapUrls, limit: config.sitemapUrls });
      if (rows.length === 0) return null;
      return c.get('meter').render(() => renderSitemap(c.get('site'), rows.map((r) => ({ path: `/articles/${r.slug}`, lastmod: r.modifiedAt }))));
    },
  }));
}

/**
 * The Google News sitemap. What it lists also changes as articles age out of
 * the window, so its ETag comes from the rows themselves (slugs and content
 * hashes, read before anything is rendered), and its lifetime ends when the
 * oldest of them leaves the window.
 */
function newsSitemap(c: Context<AppEnv>): Promise<Response> {
  const now = c.get('now');
  return listDocument(c, FRONT_LIST, 'sitemap-news', XML, async (state) => {
    const rows = await recentEntries(c.get('index'), { now, windowMs: NEWS_WINDOW_MS, limit: NEWS_LIMIT });
    const ageOut = rows.length ? Date.parse(rows.at(-1)!.date) + NEWS_WINDOW_MS : undefined;
    const ends = [state.nextScheduled, ageOut].filter((t): t is number => t !== undefined);
    return {
      etag: entityTag(fingerprint(rows.map((r) => `${r.slug}:${r.hash}`).join('\n')), 'news', c.get('version')),
      tags: ['index', 'sitemap'],
      ...(ends.length && { expiresAt: Math.min(...ends) }),
      render: async () => c.get('meter').render(() => renderNewsSitemap(c.get('site'), rows)),
    };
  });
}

app.get('/robots.txt', (c) => {
  const site = c.get('site'), version = c.get('version');
  const rep = { etag: entityTag('robots', version, fingerprint(site.origin)), tags: ['robots'] };
  return respond(c, rep, 'text/plain; charset=utf-8', false, () => renderRobots(site));
});

app.get('/media/*', async (c) => {
  const name = c.get('path').slice('/media/'.length);
  const media = await getMedia(c.env.ARTICLES, name, c.get('kv'), c.get('meter'));
  if (!media) return notFound(c);
  return c.body(media.body, 200, { 'Content-Type': media.contentType, 'Cache-Control': IMMUTABLE });
});

app.get(STYLESHEET_PATH, (c) =>
  c.body(STYLESHEET, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': IMMUTABLE }),
);

app.get('/favicon.svg', (c) =>
  c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }),
);

app.notFound((c) => notFound(c));

app.onError((error, c) => {
  const status = error instanceof StorageUnavailableError ? 503 : 500;
  console.error(JSON.stringify({
    event: status === 503 ? 'storage.unavailable' : 'request.error',
    path: rawPath(c.req.url),
    ...(error instanceof StoredContentError && { slug: error.key }),
    error: `${error.name}: ${error.message}`,
  }));
  const site = c.get('site') ?? { name: 'Broadsheet', origin: origin(c.req.url), timeZone: 'UTC', sections: [] };
  return c.html(renderErrorPage(site, status), status, {
    'Cache-Control': NO_STORE,
    ...(status === 503 && { 'Retry-After': '30' }),
  });
});

const sites = new WeakMap<Config, Site>();
const loadOptions = new WeakMap<Config, LoadOptions>();

/** How KV is read and cached, derived once per configuration. */
function loadOptionsFor(config: Config): LoadOptions {
  let options = loadOptions.get(config);
  if (!options) {
    options = { cacheTtl: config.kvCacheTtl, timeoutMs: config.kvTimeoutMs, isolateTtl: config.isolateCacheTtl, cacheBytes: config.renderCacheBytes };
    loadOptions.set(config, options);
  }
  return options;
}

/**
 * The path of a request URL exactly as sent (no percent-decoding), without
 * parsing a URL object on every request. Request URLs are absolute and have
 * no fragment.
 */
function rawPath(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const query = url.indexOf('?', start);
  return query === -1 ? url.slice(start) : url.slice(start, query);
}

function origin(url: string): string {
  return url.slice(0, url.indexOf('/', url.indexOf('//') + 2));
}

function siteFor(config: Config, url: string): Site {
  if (config.siteUrl) {
    let site = sites.get(config);
    if (!site) sites.set(config, (site = { name: config.siteName, origin: config.siteUrl, timeZone: config.timeZone, sections: config.sections }));
    return site;
  }
  return { name: config.siteName, origin: origin(url), timeZone: config.timeZone, sections: config.sections };
}

function renderContext(c: Context<AppEnv>): RenderContext {
  const config = c.get('config'), site = c.get('site'), version = c.get('version'), kv = c.get('kv');
  return {
    site, version, kv: c.env.ARTICLES, kvOptions: kv, imageResizing: config.imageResizing, cacheBytes: config.renderCacheBytes, meter: c.get('meter'),
  };
}

/**
 * The published article whose slug follows `prefix` in the path; a 404
 * response when there is none, the slug is malformed (answered without
 * reading KV), it is a draft, or it is scheduled (cacheable only until it
 * appears). Whatever KV holds is checked against the index after the
 * response, so an upload that skipped the publish command reaches the lists.
 */
async function publishedArticle(c: Context<AppEnv>, prefix: string) {
  const slug = slugFromPath(c, prefix);
  if (slug === null) return notFound(c);
  const loaded = await loadArticle(c.env.ARTICLES, slug, c.get('kv'), c.get('meter'));
  if (!loaded) return notFound(c);
  const { version } = loaded;
  if (!loaded.stale && !knownIndexed(version)) {
    const config = c.get('config');
    const background = indexDb(c.env.INDEX, config.d1TimeoutMs);
    later(c)(ensureIndexed(background, version, { writer: 'reader', now: c.get('now'), trustMs: config.indexTrustMs }).catch((error: unknown) => {
      console.warn(JSON.stringify({ event: 'index.write_back_failed', slug, error: String(error) }));
    }));
  }
  if (version.meta.draft) return notFound(c);
  const publishedAt = Date.parse(version.meta.date);
  if (publishedAt > c.get('now')) return notFound(c, publishedAt);
  return { slug, article: version, stale: loaded.stale };
}

/** The reader's banner: editors' copy from KV when they have published some, else the code default. */
async function regionBanner(c: Context<AppEnv>) {
  const overrides = await loadBannerOverrides(c.env.ARTICLES, c.get('kv'), c.get('meter'));
  return bannerFor(c.get('region'), overrides[c.get('region')]);
}

/** The slug after `prefix` in the raw (undecoded) path, or null when it is not a valid slug. */
function slugFromPath(c: Context<AppEnv>, prefix: string): string | null {
  const slug = c.get('path').slice(prefix.length);
  return isValidSlug(slug) ? slug : null;
}

/** `?page=N`: absent is page 1; anything but a plain positive integer is no page at all. */
function parsePage(value: string | undefined): number | null {
  if (value === undefined) return 1;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * The Cron Trigger: one bounded, resumable step of reconciling the D1 index
 * with KV (see `indexing/reconcile.ts`).
 */
async function scheduled(_controller: ScheduledController, env: Env): Promise<void> {
  const config = getConfig(env);
  try {
    const report = await reconcile(env.ARTICLES, indexDb(env.INDEX, config.d1TimeoutMs), {
      pages: config.reconcilePages,
      reads: config.reconcileReads,
      kvOptions: { cacheTtl: config.kvCacheTtl, timeoutMs: config.kvTimeoutMs },
      context: { writer: 'reader', now: Date.now(), trustMs: config.indexTrustMs },
    });
    console.log(JSON.stringify({ event: 'index.reconcile', ...report }));
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    console.error(JSON.stringify({ event: 'index.reconcile_failed', error: error.message }));
  }
}

export default { fetch: app.fetch, scheduled };
