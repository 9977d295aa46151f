/**
 * Broadsheet: the worker's two entry points, then the app's middleware in the
 * order every request meets it, then every route. The handlers live in
 * `routes/`, by what they serve; the contract they keep (routes, caching,
 * regions) is in the README, under HTTP contract.
 *
 * The default entry point is the gateway (`edge/gateway.ts`), which Workers
 * Cache does not cache (`[exports.default]` in wrangler.toml): it partitions
 * each request and calls `Pages`, which Workers Cache sits in front of.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import { Hono } from 'hono';
import { getConfig } from './config.ts';
import type { AppEnv } from './http/app-env.ts';
import type { PurgeBody } from './content/purge-request.ts';
import { gateway } from './edge/gateway.ts';
import type { CacheProps } from './edge/partition.ts';
import { purgeWorkersCache, type PurgeOutcome } from './edge/purge.ts';
import { executionContext, onlyGetAndHead, requestContext } from './http/context.ts';
import { mediaHeaders, securityHeaders } from './http/security-headers.ts';
import { reconcileOnSchedule } from './indexing/scheduled.ts';
import { regionDetector } from './region/region.ts';
import { articleJson, articlePage, galleryPage, previewPage } from './routes/articles.ts';
import { favicon, stylesheet } from './routes/assets.ts';
import { dismissed, go, seen, seenStylesheet } from './routes/banner.ts';
import { correctionsFeed, correctionsPage } from './routes/corrections.ts';
import { media } from './routes/media.ts';
import { errorPage, notFoundPage } from './routes/errors.ts';
import { editionPage, frontPage } from './routes/fronts.ts';
import { LIST_KINDS, frontFeed, latestPage, listFeedOf, listPageOf, searchPage } from './routes/lists.ts';
import { robots, sitemapFile, sitemapIndex } from './routes/sitemaps.ts';
import { STYLESHEET_ROUTE } from './views/styles.ts';

export type { AppEnv } from './http/app-env.ts';

const app = new Hono<AppEnv>();

// Media get their own CSP: registered first, it runs last and has the last word.
app.use('/media/*', mediaHeaders);
app.use('*', securityHeaders);
app.use('*', onlyGetAndHead);
app.use('*', requestContext);

/** The reader's region group, for the pages that carry a banner; they vary on the configured headers. */
const byRegion = regionDetector((env) => getConfig(env as Env).region, (c) => executionContext(c)?.props?.group);

// Articles, from KV.
app.get('/articles/*', byRegion, articlePage);
app.get('/api/articles/*', articleJson);
app.get('/gallery/*', galleryPage);
app.get('/preview/*', byRegion, previewPage);

// Fronts: the reader's edition, and each edition for everyone.
app.get('/', byRegion, frontPage);
app.get('/editions/:id', editionPage);

// Lists, feeds and search, from the D1 index.
app.get('/latest', latestPage);
app.get('/feed.xml', frontFeed);
for (const [folder, kind] of Object.entries(LIST_KINDS)) {
  app.get(`/${folder}/:key`, listPageOf(kind));
  app.get(`/${folder}/:key/feed.xml`, listFeedOf(kind));
}
app.get('/search', searchPage);
app.get('/corrections', correctionsPage);
app.get('/corrections/feed.xml', correctionsFeed);

// For crawlers.
app.get('/sitemap.xml', sitemapIndex);
app.get('/sitemaps/:file', sitemapFile);
app.get('/robots.txt', robots);

// The banner's beacons and counted links.
app.get('/_banner/:group/:test/:variant/seen.css', seenStylesheet);
app.get('/_banner/:group/:test/:variant/seen', seen);
app.get('/_banner/:group/:test/:variant/dismissed', dismissed);
app.get('/go/:group/:test/:variant/:link', go);

// Files.
app.get('/media/*', media);
app.get(STYLESHEET_ROUTE, stylesheet);
app.get('/favicon.svg', favicon);

app.notFound(notFoundPage);
app.onError(errorPage);

/**
 * The cached entry point: every page, behind Workers Cache, keyed by its URL
 * and `ctx.props` (the region group, on pages with a banner). It also purges
 * that cache, since a purge reaches only the entry point that makes it.
 */
export class Pages extends WorkerEntrypoint<Env, CacheProps> {
  override fetch(request: Request): Promise<Response> {
    return Promise.resolve(app.fetch(request, this.env, this.ctx));
  }

  purge(body: PurgeBody): Promise<PurgeOutcome> {
    return purgeWorkersCache(this.ctx.cache, body);
  }
}

export default { fetch: gateway(app.fetch), scheduled: reconcileOnSchedule };
