import { describe, expect, it } from 'vitest';
import { TEST_SITE as site } from '../support/helpers.ts';
import { escapeXml, renderFeed, renderNewsSitemap, renderSitemap } from '../../../src/views/feeds.ts';
import type { ListEntry } from '../../../src/views/list-page.ts';

describe('feed and sitemap', () => {
  it('escape XML and drop characters XML cannot hold', () => {
    expect(escapeXml('a & <b> "c" \u0001\uffff')).toBe('a &amp; &lt;b&gt; &quot;c&quot; ');
    const entries: ListEntry[] = [{ slug: 'x', title: 'T & \u0008', date: '2026-01-01', language: 'en', hash: 'b'.repeat(32) }];
    expect(renderFeed(site, entries)).toContain('<title>T &amp; </title>');
    expect(renderFeed(site, entries)).toContain('<published>2026-01-01T00:00:00Z</published>');
    expect(renderSitemap(site, [{ path: '/articles/x', lastmod: Date.parse('2026-01-01') }])).toContain('<lastmod>2026-01-01T00:00:00Z</lastmod>');
    const news = renderNewsSitemap(site, [{ slug: 'x', title: 'T & \u0008', date: '2026-01-01T08:00:00Z', language: 'en-GB' }]);
    expect(news).toContain('<news:title>T &amp; </news:title>');
    expect(news).toContain('<news:language>en</news:language>');
    expect(news).toContain('<news:publication_date>2026-01-01T08:00:00Z</news:publication_date>');
  });
});
