/**
 * Broadsheet: route wiring. Each handler does its I/O through `store.ts` and
 * hands the data to a pure renderer; headers come from `http-cache.ts`.
 */
import { Hono, type Context } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { DEFAULT_BANNERS, renderBanner } from './banner.ts';
import { getConfig, type Config } from './config.ts';
import { renderFeed, renderRobots, renderSitemap } from './feed.ts';
import { IMMUTABLE, NO_STORE, articleTag, cacheHeaders, notFoundCacheControl } from './http-cache.ts';
import { renderErrorPage, renderIndexPage, renderNotFoundPage, type Site } from './pages.ts';
import { regionDetector, type RegionGroup } from './region.ts';
import { loadRenderedArticle } from './rendered-article.ts';
import { isValidSlug } from './slug.ts';
import { StorageUnavailableError, StoredContentError, byNewest, getMedia, listArticles, type IndexEntry } from './store.ts';
import { FAVICON, STYLESHEET, STYLESHEET_PATH } from './styles.ts';

export type AppEnv = {
  Bindings: Env;
  Variables: { config: Config; site: Site; region: RegionGroup };
};

const ALLOWED_METHODS = 'GET, HEAD';

const app = new Hono<AppEnv>();

app.use('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    return c.text('Method Not Allowed\n', 405, { Allow: ALLOWED_METHODS, 'Cache-Control': NO_STORE });
  }
  const config = getConfig(c.env);
  c.set('config', config);
  c.set('site', { name: config.siteName, origin: config.siteUrl ?? new URL(c.req.url).origin, timeZone: config.timeZone });
  await next();
});

app.use(
  '*',
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'https:'],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], browsingTopics: [] },
    // Routes that need their own CSP (media) set it themselves.
    overwrite: false,
  }),
);

app.get('/', async (c) => {
  const { config, site } = c.var;
  const page = parsePage(c.req.query('page'));
  const entries = await publishedEntries(c);
  const pageCount = Math.max(1, Math.ceil(entries.length / config.indexPageSize));
  if (page === null || page > pageCount) return notFound(c);
  const start = (page - 1) * config.indexPageSize;
  const body = renderIndexPage({ site, entries: entries.slice(start, start + config.indexPageSize), page, pageCount });
  return c.html(body, 200, cacheHeaders(config, ['index']));
});

app.get('/articles/*', regionDetector((env) => {
  const config = getConfig(env as Env);
  return { sources: config.regionSources, vary: config.regionVary };
}), async (c) => {
  const { config, site, region } = c.var;
  const slug = slugFromPath(c, '/articles/');
  if (slug === null) return notFound(c);
  const article = await loadRenderedArticle(c.env.ARTICLES, slug, site, config.kvCacheTtl);
  if (!article) return notFound(c);
  const body = article.pageBeforeBanner + bannerHtml(region) + article.pageAfterBanner;
  return c.html(body, 200, cacheHeaders(config, [articleTag(slug)]));
});

app.get('/api/articles/*', async (c) => {
  const { config, site } = c.var;
  const slug = slugFromPath(c, '/api/articles/');
  if (slug === null) return notFound(c);
  const article = await loadRenderedArticle(c.env.ARTICLES, slug, site, config.kvCacheTtl);
  if (!article) return notFound(c);
  const { meta } = article;
  return c.json(
    {
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
      html: article.bodyHtml,
    },
    200,
    cacheHeaders(config, [articleTag(slug)]),
  );
});

app.get('/feed.xml', async (c) => {
  const { config, site } = c.var;
  const xml = renderFeed(site, await publishedEntries(c));
  return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8', ...cacheHeaders(config, ['index', 'feed']) });
});

app.get('/sitemap.xml', async (c) => {
  const { config, site } = c.var;
  const xml = renderSitemap(site, await publishedEntries(c));
  return c.body(xml, 200, { 'Content-Type': 'application/xml; charset=utf-8', ...cacheHeaders(config, ['index', 'sitemap']) });
});

app.get('/robots.txt', (c) =>
  c.text(renderRobots(c.var.site), 200, cacheHeaders(c.var.config, ['robots'])),
);

app.get('/media/*', async (c) => {
  const name = new URL(c.req.url).pathname.slice('/media/'.length);
  const media = await getMedia(c.env.ARTICLES, name, c.var.config.kvCacheTtl);
  if (!media) return notFound(c);
  return c.body(media.body, 200, {
    'Content-Type': media.contentType,
    'Cache-Control': IMMUTABLE,
    // An SVG opened on its own must not run script on our origin.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  });
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
    path: new URL(c.req.url).pathname,
    ...(error instanceof StoredContentError && { slug: error.key }),
    error: `${error.name}: ${error.message}`,
  }));
  const site = c.get('site') ?? { name: 'Broadsheet', origin: new URL(c.req.url).origin, timeZone: 'UTC' };
  return c.html(renderErrorPage(site, status), status, {
    'Cache-Control': NO_STORE,
    ...(status === 503 && { 'Retry-After': '30' }),
  });
});

function notFound(c: Context<AppEnv>): Response {
  const site = c.get('site');
  const config = c.get('config');
  return c.html(renderNotFoundPage(site), 404, { 'Cache-Control': notFoundCacheControl(config) });
}

/** The slug after `prefix` in the raw (undecoded) path, or null when it is not a valid slug. */
function slugFromPath(c: Context<AppEnv>, prefix: string): string | null {
  const slug = new URL(c.req.url).pathname.slice(prefix.length);
  return isValidSlug(slug) ? slug : null;
}

/** `?page=N`: absent is page 1; anything but a plain positive integer is no page at all. */
function parsePage(value: string | undefined): number | null {
  if (value === undefined) return 1;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}

async function publishedEntries(c: Context<AppEnv>): Promise<IndexEntry[]> {
  const entries = await listArticles(c.env.ARTICLES, c.var.config.kvCacheTtl);
  return entries.filter((e) => !e.draft).sort(byNewest);
}

const banners = new Map<RegionGroup, string>();

function bannerHtml(group: RegionGroup): string {
  let banner = banners.get(group);
  if (banner === undefined) {
    banner = renderBanner(group, DEFAULT_BANNERS[group]).toString();
    banners.set(group, banner);
  }
  return banner;
}

export default app;
