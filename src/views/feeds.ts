/**
 * The machine-readable views of the index: Atom feeds, the sitemap index and
 * its children, the news sitemap and robots.txt. Pure functions of what the
 * index returned.
 */
import { nameSlug } from '../content/slug.ts';
import { t, type Site } from './layout.ts';
import type { ListEntry } from './list-page.ts';

// Characters XML 1.0 forbids outright, which escaping cannot fix.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content or attributes, dropping characters XML cannot carry. */
export function escapeXml(value: string): string {
  return value.replace(XML_FORBIDDEN, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** RFC 3339 for Atom: bare dates become midnight UTC. */
function rfc3339(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}

/** What one feed is about: the whole site, or one section or topic. */
export interface FeedScope {
  /** The feed's own path, e.g. `/feed.xml`. */
  path: string;
  /** The HTML page it follows, e.g. `/`. */
  page: string;
  /** What it covers, shown after the site name; absent for the whole site. */
  title?: string;
}

/**
 * A `tag:` URI (RFC 4151) for something on the site: the same whichever
 * host the feed was fetched from, so a feed reader never sees an entry twice.
 * `year` is when it was first published; `specific` is its path.
 */
export function tagUri(site: Site, year: string, specific: string): string {
  return `tag:${site.tagAuthority},${year}:${specific}`;
}

/** An Atom 1.0 feed of the newest published entries (already sorted, newest first, and cut to length). */
export function renderFeed(site: Site, latest: ListEntry[], scope: FeedScope = { path: '/feed.xml', page: '/' }): string {
  const items = latest.map((e) => {
    const url = `${site.origin}/articles/${e.slug}`;
    return `<entry xml:lang="${escapeXml(e.language)}">
<title>${escapeXml(e.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
<id>${escapeXml(tagUri(site, e.date.slice(0, 4), `/articles/${e.slug}`))}</id>
<published>${rfc3339(e.date)}</published>
<updated>${rfc3339(e.updated ?? e.date)}</updated>
${(e.authors ?? []).map((name) => `<author><name>${escapeXml(name)}</name><uri>${escapeXml(`${site.origin}/authors/${nameSlug(name)}`)}</uri></author>\n`).join('')}${
  e.standfirst ? `<summary>${escapeXml(e.standfirst)}</summary>\n` : ''}${e.section ? `<category term="${escapeXml(e.section)}"/>\n` : ''}</entry>`;
  });
  const m = t(site);
  return atomFeed(site, {
    title: scope.title ? `${site.name}: ${scope.title}` : site.name,
    subtitle: m.feedSubtitle(site.name, scope.title),
    path: scope.path,
    page: scope.page,
    updated: latest.reduce((max, e) => Math.max(max, Date.parse(e.updated ?? e.date)), 0),
  }, items);
}

/** A correction, as `/corrections` and its feed list it. */
export interface CorrectionEntry {
  slug: string;
  /** Its place among the article's corrections, from 0: with the slug, what names it. */
  position: number;
  /** When it was made (ISO 8601, as written). */
  correctedDate: string;
  /** What it says, as safe inline HTML (`renderNote`). */
  html: string;
  title: string;
  /** The article's first-published date. */
  date: string;
  language: string;
  section?: string;
}

/** The Atom feed of the newest corrections: one entry per correction, linking to the corrected article's box. */
export function renderCorrectionsFeed(site: Site, corrections: CorrectionEntry[]): string {
  const m = t(site);
  const items = corrections.map((e) => {
    const url = `${site.origin}/articles/${e.slug}#corrections`;
    return `<entry xml:lang="${escapeXml(e.language)}">
<title>${escapeXml(m.correctionFeedTitle(e.title))}</title>
<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
<id>${escapeXml(tagUri(site, e.date.slice(0, 4), `/articles/${e.slug}/corrections/${e.position + 1}`))}</id>
<published>${rfc3339(e.correctedDate)}</published>
<updated>${rfc3339(e.correctedDate)}</updated>
<content type="html">${escapeXml(e.html)}</content>
</entry>`;
  });
  return atomFeed(site, {
    title: `${site.name}: ${m.corrections}`,
    subtitle: m.correctionsDescription(site.name),
    path: CORRECTIONS_FEED_PATH,
    page: CORRECTIONS_PATH,
    updated: corrections.reduce((max, e) => Math.max(max, Date.parse(e.correctedDate)), 0),
  }, items);
}

export const CORRECTIONS_PATH = '/corrections';
export const CORRECTIONS_FEED_PATH = '/corrections/feed.xml';

/** The feed around its entries: in the site's language, by the site, with its own `tag:` id. */
function atomFeed(site: Site, feed: { title: string; subtitle: string; path: string; page: string; updated: number }, items: string[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(site.language)}">
<title>${escapeXml(feed.title)}</title>
<subtitle>${escapeXml(feed.subtitle)}</subtitle>
<link rel="self" type="application/atom+xml" href="${escapeXml(site.origin + feed.path)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(site.origin + feed.page)}"/>
<id>${escapeXml(tagUri(site, '2026', feed.path))}</id>
<updated>${rfc3339(new Date(feed.updated || 0).toISOString())}</updated>
<author><name>${escapeXml(site.name)}</name></author>
${items.join('\n')}
</feed>
`;
}

/** One `<sitemap>` of a sitemap index, or one `<url>` of a sitemap. */
export interface SitemapLink {
  /** A path on the site, starting with `/`. */
  path: string;
  /** Milliseconds since the epoch. */
  lastmod?: number;
}

/** A sitemap index (sitemaps.org): the child sitemaps, each with when it last changed. */
export function renderSitemapIndex(site: Site, children: SitemapLink[]): string {
  const items = children.map((c) => `<sitemap><loc>${escapeXml(site.origin + c.path)}</loc>${lastmod(c.lastmod)}</sitemap>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${items.join('\n')}
</sitemapindex>
`;
}

/** A sitemap of up to 50,000 URLs (the caller keeps within the limit). */
export function renderSitemap(site: Site, urls: SitemapLink[]): string {
  const items = urls.map((u) => `<url><loc>${escapeXml(site.origin + u.path)}</loc>${lastmod(u.lastmod)}</url>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${items.join('\n')}
</urlset>
`;
}

function lastmod(ms: number | undefined): string {
  return ms === undefined ? '' : `<lastmod>${rfc3339(new Date(Math.floor(ms / 1000) * 1000).toISOString())}</lastmod>`;
}

/** An article in the news sitemap. */
export interface NewsEntry {
  slug: string;
  title: string;
  date: string;
  language: string;
}

/**
 * A Google News sitemap: the articles of the last 48 hours (at most 1,000),
 * each with the publication's name and language, its publication time and title.
 */
export function renderNewsSitemap(site: Site, entries: NewsEntry[]): string {
  const items = entries.map((e) => `<url><loc>${escapeXml(`${site.origin}/articles/${e.slug}`)}</loc><news:news><news:publication><news:name>${
    escapeXml(site.name)}</news:name><news:language>${newsLanguage(e.language)}</news:language></news:publication><news:publication_date>${
    rfc3339(e.date)}</news:publication_date><news:title>${escapeXml(e.title)}</news:title></news:news></url>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${items.join('\n')}
</urlset>
`;
}

/**
 * Google News wants an ISO 639 language code, except `zh-cn` and `zh-tw`:
 * `en-GB` becomes `en`, `zh-Hant-TW` becomes `zh-tw`.
 */
export function newsLanguage(bcp47: string): string {
  const parts = bcp47.toLowerCase().split('-');
  if (parts[0] === 'zh') return parts.includes('tw') || parts.includes('hant') ? 'zh-tw' : 'zh-cn';
  return parts[0]!;
}

/** Where the news sitemap is served. */
export const NEWS_SITEMAP_PATH = '/sitemaps/news.xml';

/** robots.txt: everything may be crawled; here are the sitemap index and the news sitemap. */
export function renderRobots(site: Site): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${site.origin}/sitemap.xml\nSitemap: ${site.origin}${NEWS_SITEMAP_PATH}\n`;
}
