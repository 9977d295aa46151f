/**
 * The machine-readable views of the index: Atom feeds, the sitemap index and
 * its children, the news sitemap and robots.txt. Pure functions of what the
 * index returned.
 */
import type { Site } from './layout.ts';
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

/** An Atom 1.0 feed of the newest published entries (already sorted, newest first, and cut to length). */
export function renderFeed(site: Site, latest: ListEntry[], scope: FeedScope = { path: '/feed.xml', page: '/' }): string {
  const updated = latest.reduce((max, e) => Math.max(max, Date.parse(e.updated ?? e.date)), 0);
  const items = latest.map((e) => {
    const url = `${site.origin}/articles/${e.slug}`;
    return `<entry>
<title>${escapeXml(e.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
<id>${escapeXml(url)}</id>
<published>${rfc3339(e.date)}</published>
<updated>${rfc3339(e.updated ?? e.date)}</updated>
${e.standfirst ? `<summary>${escapeXml(e.standfirst)}</summary>\n` : ''}${e.section ? `<category term="${escapeXml(e.section)}"/>\n` : ''}</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>${escapeXml(scope.title ? `${site.name}: ${scope.title}` : site.name)}</title>
<subtitle>The latest ${scope.title ? `${escapeXml(scope.title)} ` : ''}reporting from ${escapeXml(site.name)}</subtitle>
<link rel="self" type="application/atom+xml" href="${escapeXml(site.origin + scope.path)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(site.origin + scope.page)}"/>
<id>${escapeXml(site.origin + scope.page)}</id>
<updated>${rfc3339(new Date(updated || 0).toISOString())}</updated>
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
