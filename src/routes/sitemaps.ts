/**
 * Routes for crawlers, answered from the D1 index: the sitemap index, its
 * children (the site's pages, and each month of articles in parts of
 * `SITEMAP_URLS`), the Google News sitemap, and robots.txt.
 */
import type { Context, Handler } from 'hono';
import {
  INDEX_TAG, NEWS_SITEMAP_TAG, NEWS_WINDOW_MS, ROBOTS_TAG, SITEMAP_INDEX_TAG, SITEMAP_PAGES_TAG, SITEMAP_TAG, sitemapMonthTag,
} from '../content/cache-tags.ts';
import { fingerprint } from '../content/fingerprint.ts';
import type { AppEnv } from '../http/app-env.ts';
import { entityTag } from '../http/cache-headers.ts';
import { notFound, respond } from '../http/respond.ts';
import { monthEntries, recentEntries, sitemapMonths } from '../listing/entries.ts';
import { FRONT_LIST } from '../storage/index-rows.ts';
import { browsableListsStatement } from '../storage/index-sql.ts';
import {
  NEWS_SITEMAP_PATH, renderNewsSitemap, renderRobots, renderSitemap, renderSitemapIndex, type SitemapLink,
} from '../views/feeds.ts';
import { listPath } from '../views/list-page.ts';
import { serveListDocument } from './list-document.ts';

const XML = 'application/xml; charset=utf-8';

/** The Google News sitemap covers articles of the last 48 hours ({@link NEWS_WINDOW_MS}), at most 1,000 of them. */
const NEWS_LIMIT = 1000;

/** Every sitemap carries `index` and `sitemap`, and its own tag. */
function sitemapTags(own: string): string[] {
  return [INDEX_TAG, SITEMAP_TAG, own];
}

/**
 * `/sitemap.xml`: the site's pages, then one sitemap per month of articles
 * (split into parts of SITEMAP_URLS), newest first, each with when it last changed.
 */
export const sitemapIndex: Handler<AppEnv> = (c) => {
  const config = c.get('config'), now = c.get('now');
  return serveListDocument(c, FRONT_LIST, 'sitemap', XML, sitemapTags(SITEMAP_INDEX_TAG), (state) => ({
    etag: entityTag(state.version, 'sitemap', c.get('version')),
    render: async (db) => {
      const months = await sitemapMonths(db, now);
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
};

function monthSitemapPath(month: string, part: number): string {
  return `/sitemaps/articles-${month}${part > 1 ? `-${part}` : ''}.xml`;
}

const MONTH_SITEMAP = /^articles-(\d{4}-(?:0[1-9]|1[0-2]))(?:-([2-9]|[1-9]\d{1,3}))?\.xml$/;

/** `/sitemaps/<file>`: `pages.xml`, `news.xml`, or a month's part. */
export const sitemapFile: Handler<AppEnv> = (c) => {
  const file = c.req.param('file') ?? '';
  if (file === 'pages.xml') return pagesSitemap(c);
  if (`/sitemaps/${file}` === NEWS_SITEMAP_PATH) return newsSitemap(c);
  const month = MONTH_SITEMAP.exec(file);
  return month ? monthSitemap(c, month[1]!, Number(month[2] ?? 1)) : notFound(c);
};

/** The front page, then every section, topic and author page with articles (within SITEMAP_URLS). */
function pagesSitemap(c: Context<AppEnv>): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  return serveListDocument(c, FRONT_LIST, 'sitemap-pages', XML, sitemapTags(SITEMAP_PAGES_TAG), (state) => ({
    etag: entityTag(state.version, 'sitemap-pages', c.get('version')),
    render: async (db) => {
      const lists = await db.all<{ list: string }>(browsableListsStatement(now, config.sitemapUrls - 1));
      const paths = lists.map(({ list }) => {
        const [kind, key = ''] = list.split(/:(.*)/s);
        return listPath(kind === 'section' ? { kind, section: key } : { kind: kind === 'tag' ? 'tag' : 'author', slug: key, name: key });
      });
      const lastmod = state.lastModified;
      const urls = ['/', ...paths].map((path) => ({ path, ...(lastmod !== undefined && { lastmod }) }));
      return c.get('meter').render(() => renderSitemap(c.get('site'), urls));
    },
  }));
}

/** One part of one month's articles, oldest first. */
function monthSitemap(c: Context<AppEnv>, month: string, part: number): Promise<Response> {
  const config = c.get('config'), now = c.get('now');
  const name = `sitemap-${month}-${part}`;
  return serveListDocument(c, FRONT_LIST, name, XML, sitemapTags(sitemapMonthTag(month)), (state) => ({
    etag: entityTag(state.version, name, c.get('version')),
    render: async (db) => {
      const rows = await monthEntries(db, month, { now, offset: (part - 1) * config.sitemapUrls, limit: config.sitemapUrls });
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
  return serveListDocument(c, FRONT_LIST, 'sitemap-news', XML, sitemapTags(NEWS_SITEMAP_TAG), async (state) => {
    const rows = await recentEntries(c.get('index'), { now, windowMs: NEWS_WINDOW_MS, limit: NEWS_LIMIT });
    const ageOut = rows.length ? Date.parse(rows.at(-1)!.date) + NEWS_WINDOW_MS : undefined;
    const ends = [state.nextScheduled, ageOut].filter((t): t is number => t !== undefined);
    return {
      etag: entityTag(fingerprint(rows.map((r) => `${r.slug}:${r.hash}`).join('\n')), 'news', c.get('version')),
      ...(ends.length && { expiresAt: Math.min(...ends) }),
      render: async () => c.get('meter').render(() => renderNewsSitemap(c.get('site'), rows)),
    };
  });
}

/** `/robots.txt`: everything may be crawled; the sitemaps. */
export const robots: Handler<AppEnv> = (c) => {
  const site = c.get('site');
  const rep = { etag: entityTag('robots', c.get('version')), tags: [ROBOTS_TAG] };
  return respond(c, rep, 'text/plain; charset=utf-8', false, () => renderRobots(site));
};
