import { describe, expect, it } from 'vitest';
import type { ArticleMeta } from '../../src/content/article.ts';
import { DEFAULT_BANNERS, renderBanner } from '../../src/region/banner.ts';
import { fillPlaceholders, validateBannerCopy } from '../../src/content/banner-copy.ts';
import { escapeXml, renderFeed, renderNewsSitemap, renderSitemap } from '../../src/views/feeds.ts';
import { BANNER_SLOT, jsonForScript, renderArticlePage } from '../../src/views/article-page.ts';
import { formatDate, sectionLabel } from '../../src/views/layout.ts';
import { renderListPage, type ListEntry } from '../../src/views/list-page.ts';
import { REGION_GROUPS } from '../../src/region/region.ts';
import { toMetadata } from '../../src/storage/kv-format.ts';

const site = { name: 'Broadsheet', origin: 'https://news.test', timeZone: 'Europe/London', sections: ['world', 'arts-and-culture'] };

const meta: ArticleMeta = {
  slug: 'a/b',
  title: 'Title </script><script>alert(1)</script>',
  date: '2026-06-01T12:00:00Z',
  standfirst: 'He said "hi" & left',
  authors: [{ name: 'A' }],
  tags: ['x'],
  language: 'en',
  draft: false,
};

describe('renderArticlePage', () => {
  const page = renderArticlePage({ site, article: meta, bodyHtml: '<p>Body</p>', wordCount: 460 });

  it('escapes front matter in text, attributes and JSON-LD', () => {
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('<title>Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; | Broadsheet</title>');
    expect(page).toContain('content="He said &quot;hi&quot; &amp; left"');
    const scripts = page.match(/<script\b/g) ?? [];
    expect(scripts).toHaveLength(2); // the JSON-LD block and the banner's script
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!;
    expect(JSON.parse(json).headline).toBe(meta.title);
  });

  it('leaves exactly one banner slot, after the article', () => {
    expect(page.split(BANNER_SLOT)).toHaveLength(2);
    expect(page.indexOf(BANNER_SLOT)).toBeGreaterThan(page.indexOf('</article>'));
  });

  it('shows the dateline in the site time zone and a reading time', () => {
    expect(page).toContain('<time datetime="2026-06-01T12:00:00Z">1 June 2026 at 13:00 BST</time>');
    expect(page).toContain('2 min read');
  });

  it('marks the language of a non-English article', () => {
    const fr = renderArticlePage({ site, article: { ...meta, language: 'fr' }, bodyHtml: '', wordCount: 1 });
    expect(fr).toContain('<html lang="fr">');
  });
});

describe('jsonForScript', () => {
  it('makes closing the script element impossible', () => {
    const out = jsonForScript({ a: '</script><!-- & \u2028' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ a: '</script><!-- & \u2028' });
  });
});

describe('renderListPage', () => {
  const entries: ListEntry[] = [{ slug: 'x', title: 'X <b>', date: '2026-01-01', language: 'en', hash: 'a'.repeat(32) }];
  it('links pages and escapes titles', () => {
    const html = renderListPage({ site, view: { kind: 'front' }, entries, page: 2, pageCount: 3 });
    expect(html).toContain('<a href="/articles/x">X &lt;b&gt;</a>');
    expect(html).toContain('<a rel="prev" href="/">');
    expect(html).toContain('<a rel="next" href="/?page=3">');
    expect(html).toContain('Page 2 of 3');
  });
});

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

describe('banner', () => {
  it('has valid default copy for every group, with the currency filled in', () => {
    for (const group of REGION_GROUPS) {
      expect(validateBannerCopy(DEFAULT_BANNERS[group]), group).toEqual([]);
      const html = renderBanner(group, DEFAULT_BANNERS[group]).toString();
      expect(html).toContain(`data-region="${group}"`);
      expect(html).not.toMatch(/\{\w+\}/);
    }
  });

  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(fillPlaceholders('{currency}5 ({currencyCode}) {amount}', 'EU')).toBe('€5 (EUR) {amount}');
  });

  it('reports copy a reader should never see', () => {
    const problems = validateBannerCopy({
      heading: '', paragraphs: ['Give {amount}'], primary: { label: ' ', url: 'javascript:x' }, extra: 1,
    });
    expect(problems.map((p) => p.message)).toEqual([
      'heading must be non-empty text',
      'primary.label must be non-empty text',
      'primary.url must be an http(s), mailto or relative URL',
      'paragraphs.0 uses {amount}, which has no value (known: {currency}, {currencyCode})',
      'unknown field "extra"',
    ]);
  });

  it('escapes copy', () => {
    const html = renderBanner('US', { ...DEFAULT_BANNERS.US, heading: '<img src=x onerror=alert(1)>' }).toString();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('helpers', () => {
  it('labels sections and formats dates', () => {
    expect(sectionLabel('arts-and-culture')).toBe('Arts and culture');
    expect(formatDate('2026-11-20', 'Asia/Tokyo')).toBe('20 November 2026');
  });

  it('keeps KV metadata within 1 KiB, shortening the standfirst if it must', () => {
    const long = { ...meta, standfirst: 'word '.repeat(400).trim(), image: { src: '/media/x.svg', alt: 'alt '.repeat(100) } };
    const metadata = toMetadata(long, 'c'.repeat(32));
    expect(new TextEncoder().encode(JSON.stringify(metadata)).byteLength).toBeLessThanOrEqual(1024);
    expect(metadata.title).toBe(meta.title);
    expect(metadata.standfirst).toMatch(/…$/);
  });
});
