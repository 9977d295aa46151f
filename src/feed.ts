/**
 * The machine-readable views of the index: the Atom feed, the sitemap and
 * robots.txt. Pure functions of the published entries.
 */
import type { Site } from './pages.ts';
import type { IndexEntry } from './store.ts';

/** How many articles the feed carries. */
export const FEED_LENGTH = 30;

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

/** An Atom 1.0 feed of the newest published entries (already sorted, newest first). */
export function renderFeed(site: Site, entries: IndexEntry[]): string {
  const latest = entries.slice(0, FEED_LENGTH);
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
<title>${escapeXml(site.name)}</title>
<subtitle>The latest reporting from ${escapeXml(site.name)}</subtitle>
<link rel="self" type="application/atom+xml" href="${escapeXml(site.origin)}/feed.xml"/>
<link rel="alternate" type="text/html" href="${escapeXml(site.origin)}/"/>
<id>${escapeXml(site.origin)}/</id>
<updated>${rfc3339(new Date(updated || 0).toISOString())}</updated>
<author><name>${escapeXml(site.name)}</name></author>
${items.join('\n')}
</feed>
`;
}

/** A sitemap of the front page and every published article. */
export function renderSitemap(site: Site, entries: IndexEntry[]): string {
  const urls = entries.map(
    (e) => `<url><loc>${escapeXml(`${site.origin}/articles/${e.slug}`)}</loc><lastmod>${rfc3339(e.updated ?? e.date)}</lastmod></url>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>${escapeXml(site.origin)}/</loc></url>
${urls.join('\n')}
</urlset>
`;
}

/** robots.txt: everything may be crawled, and here is the sitemap. */
export function renderRobots(site: Site): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${site.origin}/sitemap.xml\n`;
}
