/**
 * Broadsheet: route wiring. Each handler reads through `articles.ts` or
 * `listing.ts`, describes its response to `http-cache.ts` (validators and
 * purge tags), and only renders when the client has no current copy.
 */
import { Hono, type Context } from 'hono';
import { loadArticle, renderArticle, renderArticleFor, renderPreview, type LoadOptions, type RenderContext } from './articles.ts';
import { bannerFor } from './banner.ts';
import { loadBannerOverrides } from './banner-store.ts';
import { getConfig, type Config } from './config.ts';
import { renderFeed, renderRobots, renderSitemap } from './feed.ts';
import { fingerprint } from './fingerprint.ts';
import {
  IMMUTABLE, NO_STORE, PRIVATE, articleTag, cacheHeaders, entityTag, isNotModified, lastModifiedOf, notFoundCacheControl,
  type Representation,
} from './http-cache.ts';
import { loadListing } from './listing.ts';
import { ByteLimitedCache } from './lru.ts';
import { renderErrorPage, renderIndexPage, renderNotFoundPage, renderPreviewRefusedPage, type Site } from './pages.ts';
import { verifyPreview } from './preview.ts';
import { regionDetector, type RegionGroup } from './region.ts';
import { mediaHeaders, securityHeaders } from './security-headers.ts';
import { SEGMENT_PATTERN, isValidSlug } from './slug.ts';
import { StorageUnavailableError, StoredContentError, getMedia, type IndexEntry } from './store.ts';
import { FAVICON, STYLESHEET, STYLESHEET_PATH } from './styles.ts';
import { pageVersion } from './versions.ts';

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: Config;
    site: Site;
    region: RegionGroup;
    version: string;
    kv: LoadOptions;
    /** The request path exactly as sent, not percent-decoded. */
    path: string;
  };
};

const ALLOWED_METHODS = 'GET, HEAD';
const HTML = 'text/html; charset=utf-8';

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
  c.set('config', config);
  c.set('path', rawPath(url));
  c.set('site', siteFor(config, url));
  c.set('version', pageVersion(c.env.CF_VERSION_METADATA?.id, config.pageSettings));
  c.set('kv', loadOptionsFor(config));
  await next();
});

app.get('/', (c) => listPage(c));

app.get('/sections/:section', (c) => {
  const section = c.req.param('section');
  return SEGMENT_PATTERN.test(section) ? listPage(c, section) : notFound(c);
});

/** The front page, or one section's page: newest first, paginated by `?page=`. */
async function listPage(c: Context<AppEnv>, section?: string): Promise<Response> {
  const config = c.get('config'), site = c.get('site'), version = c.get('version');
  const page = parsePage(c.req.query('page'));
  if (page === null) return notFound(c);
  const listing = await loadListing(c.env.ARTICLES, c.get('kv'));
  const entries = section ? listing.entries.filter((e) => e.section === section) : listing.entries;
  // An empty section is no page at all; an empty site still has a front page.
  if (section && entries.length === 0) return notFound(c);
  const pageCount = Math.max(1, Math.ceil(entries.length / config.indexPageSize));
  if (page > pageCount) return notFound(c);
  const name = section ? `section-${section}` : 'front';
  const rep = {
    etag: entityTag(listing.version, name, `p${page}`, version),
    lastModified: listing.lastModified,
    tags: section ? ['index', `section:${section}`] : ['index'],
  };
  return respond(c, rep, HTML, listing.stale, () => {
    const start = (page - 1) * config.indexPageSize;
    return memoText(`${name}|${site.origin}|${listing.version}|${version}|${page}`, () =>
      renderIndexPage({ site, entries: entries.slice(start, start + config.indexPageSize), page, pageCount, ...(section && { section }) }));
  });
}

app.get('/articles/*', regionDetector(regionSources), async (c) => {
  const found = await publishedArticle(c, '/articles/');
  if (found instanceof Response) return found;
  const { slug, article, stale, timing } = found;
  const banner = await regionBanner(c);
  const rep = {
    etag: entityTag(article.hash.slice(0, 16), c.get('region'), c.get('version'), banner.version),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(slug), 'articles'],
  };
  const res = await respond(c, rep, HTML, stale, async () => {
    timing.mark();
    const page = await renderArticleFor(article, renderContext(c), banner);
    timing.mark('render');
    return page;
  });
  return timing.apply(res);
});

app.get('/preview/*', regionDetector(regionSources), async (c) => {
  const site = c.get('site');
  const slug = slugFromPath(c, '/preview/');
  const secret = c.env.PREVIEW_SECRET;
  const privateHeaders = { 'Cache-Control': PRIVATE, 'X-Robots-Tag': 'noindex' };
  if (!secret) {
    console.error(JSON.stringify({ event: 'preview.disabled', reason: 'PREVIEW_SECRET is not set' }));
    return c.html(renderNotFoundPage(site), 404, privateHeaders);
  }
  const check = slug === null ? 'invalid' : await verifyPreview(secret, slug, c.req.query('expires'), c.req.query('sig'), Date.now());
  if (check !== 'valid') return c.html(renderPreviewRefusedPage(site, check), 403, privateHeaders);
  const loaded = await loadArticle(c.env.ARTICLES, slug!, c.get('kv'));
  if (!loaded) return c.html(renderNotFoundPage(site), 404, privateHeaders);
  const render = await renderPreview(loaded.version, renderContext(c));
  const banner = await regionBanner(c);
  return c.body(concat(render.before, banner.bytes, render.after) as Uint8Array<ArrayBuffer>, 200, { ...privateHeaders, 'Content-Type': HTML });
});

app.get('/api/articles/*', async (c) => {
  const found = await publishedArticle(c, '/api/articles/');
  if (found instanceof Response) return found;
  const { slug, article, stale, timing } = found;
  const site = c.get('site');
  const rep = {
    etag: entityTag(article.hash.slice(0, 16), 'json', c.get('version')),
    lastModified: lastModifiedOf(article.meta.date, article.meta.updated),
    tags: [articleTag(slug), 'api'],
  };
  const res = await respond(c, rep, 'application/json; charset=utf-8', stale, async () => {
    const { meta } = article;
    timing.mark();
    const { bodyHtml } = await renderArticle(article, renderContext(c));
    timing.mark('render');
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
  return timing.apply(res);
});

app.get('/feed.xml', (c) => listingDocument(c, 'feed', 'application/atom+xml; charset=utf-8', renderFeed));

app.get('/sitemap.xml', (c) => listingDocument(c, 'sitemap', 'application/xml; charset=utf-8', renderSitemap));

/** A document made from the whole listing (feed, sitemap): versioned, tagged and rendered like the index. */
async function listingDocument(
  c: Context<AppEnv>,
  name: string,
  contentType: string,
  render: (site: Site, entries: IndexEntry[]) => string,
): Promise<Response> {
  const site = c.get('site'), version = c.get('version');
  const listing = await loadListing(c.env.ARTICLES, c.get('kv'));
  const rep = { etag: entityTag(listing.version, name, version), lastModified: listing.lastModified, tags: ['index', name] };
  return respond(c, rep, contentType, listing.stale, () =>
    memoText(`${name}|${site.origin}|${listing.version}|${version}`, () => render(site, listing.entries)));
}

app.get('/robots.txt', (c) => {
  const site = c.get('site'), version = c.get('version');
  const rep = { etag: entityTag('robots', version, fingerprint(site.origin)), tags: ['robots'] };
  return respond(c, rep, 'text/plain; charset=utf-8', false, () => renderRobots(site));
});

app.get('/media/*', async (c) => {
  const name = c.get('path').slice('/media/'.length);
  const media = await getMedia(c.env.ARTICLES, name, c.get('kv'));
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

/**
 * A cacheable response: its caching headers always, then a 304 if the client
 * already holds this representation, else the body, rendered only now. A
 * stale fallback is sent whole and marked not to be stored.
 */
async function respond(
  c: Context<AppEnv>,
  rep: Representation,
  contentType: string,
  stale: boolean,
  body: () => Uint8Array | string | Promise<Uint8Array | string>,
): Promise<Response> {
  const headers = cacheHeaders(c.get('config'), rep, { stale });
  if (!stale && isNotModified(c.req.raw, rep)) return c.body(null, 304, headers);
  const bytes = await body();
  const encoded = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  // An explicit length keeps HEAD's headers identical to GET's.
  return c.body(encoded as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': contentType, 'Content-Length': String(encoded.byteLength) });
}

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
  return { site, version, kv: c.env.ARTICLES, kvOptions: kv, imageResizing: config.imageResizing, cacheBytes: config.renderCacheBytes };
}

/**
 * The published (not draft) article whose slug follows `prefix` in the path,
 * with the KV read timed; a 404 response when there is none, or the slug is
 * malformed (answered without reading KV).
 */
async function publishedArticle(c: Context<AppEnv>, prefix: string) {
  const slug = slugFromPath(c, prefix);
  if (slug === null) return notFound(c);
  const timing = serverTiming();
  const loaded = await loadArticle(c.env.ARTICLES, slug, c.get('kv'));
  timing.mark('kv');
  if (!loaded || loaded.version.meta.draft) return notFound(c);
  return { slug, article: loaded.version, stale: loaded.stale, timing };
}

/**
 * `Server-Timing` for operators: how long the KV read and the render took in
 * this request (render is 0 when it came from the cache). On Cloudflare,
 * timers advance only across I/O, so CPU-only spans read as 0 there.
 */
function serverTiming() {
  const start = performance.now();
  let last = start;
  const spans: string[] = [];
  return {
    /** Ends the span since the last mark under `name`; without a name, just restarts the clock. */
    mark(name?: string) {
      const now = performance.now();
      if (name) spans.push(`${name};dur=${(now - last).toFixed(2)}`);
      last = now;
    },
    apply(res: Response): Response {
      if (!spans.some((s) => s.startsWith('render;'))) spans.push('render;dur=0');
      res.headers.set('Server-Timing', [...spans, `total;dur=${(performance.now() - start).toFixed(2)}`].join(', '));
      return res;
    },
  };
}

/** The reader's banner: editors' copy from KV when they have published some, else the code default. */
async function regionBanner(c: Context<AppEnv>) {
  const overrides = await loadBannerOverrides(c.env.ARTICLES, c.get('kv'));
  return bannerFor(c.get('region'), overrides[c.get('region')]);
}

function notFound(c: Context<AppEnv>): Response {
  return c.html(renderNotFoundPage(c.get('site')), 404, { 'Cache-Control': notFoundCacheControl(c.get('config')) });
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

// Index pages, feed and sitemap, encoded, by listing version: they change only when the listing does.
const listingBodies = new ByteLimitedCache<Uint8Array>(8 * 1024 * 1024);

function memoText(key: string, render: () => string): Uint8Array {
  let bytes = listingBodies.get(key);
  if (!bytes) {
    bytes = new TextEncoder().encode(render());
    listingBodies.set(key, bytes, bytes.byteLength);
  }
  return bytes;
}

export default app;
