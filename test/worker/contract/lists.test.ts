// The front page and section pages, and the feed and sitemaps that list the
// same articles: newest first, drafts left out, answered from the D1 index.
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchApp, waitForIndexed } from '../support/helpers.ts';
import { seedReaderArticles, seedRoutesArticles } from '../support/fixtures.ts';

beforeAll(async () => {
  await seedRoutesArticles();
  await seedReaderArticles();
});

describe('the front page', () => {
  it('lists published articles newest first, including a plain upload once a reader has viewed it', async () => {
    expect((await fetchApp('/articles/plain-upload')).status).toBe(200);
    await waitForIndexed('plain-upload');
    const res = await fetchApp('/latest');
    expect(res.status).toBe(200);
    const html = await res.text();
    const order = ['Ferry &lt;returns&gt;', 'Uploaded with plain wrangler', 'Seeds in the delta'].map((t) => html.indexOf(t));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(res.headers.get('Cache-Tag')).toBe('index,front');
    expect(res.headers.get('Vary')).toBeNull();
  });

  it('answers 404 for a page past the end and for a malformed page number', async () => {
    for (const page of ['2', '0', '-1', 'abc', '1.5', '9999999']) {
      expect((await fetchApp(`/latest?page=${page}`)).status, page).toBe(404);
    }
  });
});

describe('section pages', () => {
  it('list only that section, newest first, and mark it current in the masthead', async () => {
    const res = await fetchApp('/sections/world');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf('World two')).toBeGreaterThan(0);
    expect(html.indexOf('World two')).toBeLessThan(html.indexOf('World one'));
    expect(html).not.toContain('Culture three');
    expect(html).toContain('<h1 class="page-title">World</h1>');
    expect(html).toContain('<a href="/sections/world" aria-current="page">World</a>');
    expect(res.headers.get('Cache-Tag')).toBe('index,section:world');
  });

  it('answer 404 for a section with no articles or a malformed name', async () => {
    expect((await fetchApp('/sections/sport')).status).toBe(404);
    expect((await fetchApp('/sections/Not%20One')).status).toBe(404);
    expect((await fetchApp('/sections/world?page=2')).status).toBe(404);
  });

  it('are linked from the article kicker', async () => {
    expect(await (await fetchApp('/articles/world/one')).text()).toContain('<p class="kicker"><a href="/sections/world">World</a></p>');
  });
});

describe('drafts', () => {
  it('leaves drafts out of the index, feed and sitemap', async () => {
    for (const path of ['/', '/feed.xml', '/sitemap.xml', '/sitemaps/articles-2026-11.xml', '/sitemaps/news.xml', '/sections/business']) {
      const text = await (await fetchApp(path)).text();
      expect(text, path).not.toContain('Secret draft');
      expect(text, path).not.toContain('business/secret');
    }
  });
});

describe('feed, sitemap and robots', () => {
  it('serves a well-formed Atom feed of published articles', async () => {
    await fetchApp('/articles/plain-upload');
    await waitForIndexed('plain-upload');
    const res = await fetchApp('/feed.xml');
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<title>Ferry &lt;returns&gt; &amp; &quot;sails&quot;</title>');
    expect(xml).toContain('<id>tag:broadsheet.invalid,2026:/articles/local/ferry</id>');
    // Every published article of this file's six; the draft is left out.
    expect(xml.match(/<entry xml:lang="en">/g)).toHaveLength(6);
  });

  it('serves a well-formed sitemap index whose month sitemap lists the published articles', async () => {
    const index = await (await fetchApp('/sitemap.xml')).text();
    expect(XMLValidator.validate(index)).toBe(true);
    expect(index).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(index).toContain('<loc>https://news.test/sitemaps/pages.xml</loc>');
    expect(index).toMatch(/<loc>https:\/\/news.test\/sitemaps\/articles-2026-11.xml<\/loc><lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/);
    const month = await fetchApp('/sitemaps/articles-2026-11.xml');
    expect(month.headers.get('Content-Type')).toBe('application/xml; charset=utf-8');
    const xml = await month.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>https://news.test/articles/world/americas/delta-seeds</loc>');
    expect(xml).toContain('<loc>https://news.test/articles/local/ferry</loc><lastmod>2026-11-21T09:00:00Z</lastmod>');
    expect(xml).not.toContain('business/secret');
    const pages = await (await fetchApp('/sitemaps/pages.xml')).text();
    expect(pages).toContain('<loc>https://news.test/</loc>');
    expect(pages).toContain('<loc>https://news.test/sections/local</loc>');
    expect(pages).toContain('<loc>https://news.test/tags/transport</loc>');
    expect(pages).toContain('<loc>https://news.test/authors/ada-lovelace</loc>');
    expect(pages).toContain('<loc>https://news.test/sections/world</loc>');
  });

  it('points robots.txt at the sitemap index and the news sitemap', async () => {
    const text = await (await fetchApp('/robots.txt')).text();
    expect(text).toContain('Sitemap: https://news.test/sitemap.xml');
    expect(text).toContain('Sitemap: https://news.test/sitemaps/news.xml');
  });
});
