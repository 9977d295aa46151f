import { describe, expect, it } from 'vitest';
import { BANNER_SLOT, jsonForScript, renderArticlePage } from '../../../src/views/article-page.ts';
import { TEST_ARTICLE as meta, TEST_SITE as site } from '../support/helpers.ts';

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
    // The page is in the site's language; the article carries its own.
    expect(fr).toContain('<html lang="en">');
    expect(fr).toContain('<article class="article" lang="fr"');
  });
});

describe('jsonForScript', () => {
  it('makes closing the script element impossible', () => {
    const out = jsonForScript({ a: '</script><!-- & \u2028' });
    expect(out).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(out)).toEqual({ a: '</script><!-- & \u2028' });
  });
});
