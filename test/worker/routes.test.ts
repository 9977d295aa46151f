import { env } from 'cloudflare:workers';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_SCRIPT } from '../../src/region/banner-script.ts';
import { articleFile, bannerRegion, get, seedArticle, waitForIndexed } from './helpers.ts';

const FERRY = articleFile(`
title: Ferry <returns> & "sails"
date: 2026-11-20T08:30:00Z
updated: 2026-11-21T09:00:00Z
standfirst: The boat is back.
authors:
  - name: Ada Lovelace
    url: https://example.com/ada
  - Grace Hopper
  - Ida Wells
section: local
tags: [transport, harbour]
image:
  src: /media/ferry.svg
  alt: A ferry on the water
  caption: The ferry at dawn
  credit: Jo Bloggs
`, '## Crossing the bay\n\nIt sails at nine.\n\n![A map](/media/map.svg "The route | Broadsheet")\n');

const NESTED = articleFile(`
title: Seeds in the delta
date: 2026-11-18
section: world
`);

const DRAFT = articleFile(`
title: Secret draft
date: 2026-11-22T00:00:00Z
standfirst: Not ready yet.
draft: true
`);

const PLAIN = articleFile(`
title: Uploaded with plain wrangler
date: 2026-11-19T12:00:00Z
standfirst: No metadata on this key.
`);

beforeAll(async () => {
  await seedArticle('local/ferry', FERRY);
  await seedArticle('world/americas/delta-seeds', NESTED);
  await seedArticle('business/secret', DRAFT);
  await seedArticle('plain-upload', PLAIN, { withMetadata: false });
  await env.ARTICLES.put('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
});

const ARTICLE = '/articles/local/ferry';

describe('article page', () => {
  it('renders a complete page with escaped front matter', async () => {
    const res = await get(ARTICLE);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<h1 id="article-title">Ferry &lt;returns&gt; &amp; &quot;sails&quot;</h1>');
    expect(html).toContain('<p class="standfirst">The boat is back.</p>');
    expect(html).toContain('By <a rel="author" href="/authors/ada-lovelace">Ada Lovelace</a>, ' +
      '<a rel="author" href="/authors/grace-hopper">Grace Hopper</a> and <a rel="author" href="/authors/ida-wells">Ida Wells</a>');
    expect(html).toContain('<ul class="tags"><li><a href="/tags/transport">transport</a></li><li><a href="/tags/harbour">harbour</a></li></ul>');
    expect(html).toContain('<time datetime="2026-11-20T08:30:00Z">');
    expect(html).toContain('Updated <time datetime="2026-11-21T09:00:00Z">');
    expect(html).toContain('<figcaption>The ferry at dawn <span class="credit">Jo Bloggs</span> ' +
      '<a class="gallery-link" href="/gallery/local/ferry#image-1">Open image in gallery<span class="visually-hidden">, image 1</span></a></figcaption>');
    expect(html).toContain('<figcaption>The route <span class="credit">Broadsheet</span> ' +
      '<a class="gallery-link" href="/gallery/local/ferry#image-2">Open image in gallery<span class="visually-hidden">, image 2</span></a></figcaption>');
    expect(html).toContain('<h2 id="crossing-the-bay">');
    expect(html).toContain(`<link rel="canonical" href="https://news.test${ARTICLE}">`);
    expect(html).toContain('<meta property="og:image" content="https://news.test/media/ferry.svg">');
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    // The only scripts: JSON-LD data, and the banner's dismiss script that the CSP allows by hash.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain(`<script>${SUPPORT_SCRIPT}</script>`);
  });

  it('carries JSON-LD NewsArticle that parses back to the front matter', async () => {
    const html = await (await get(ARTICLE)).text();
    const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!;
    expect(json).not.toContain('<');
    const data = JSON.parse(json);
    expect(data['@type']).toBe('NewsArticle');
    expect(data.headline).toBe('Ferry <returns> & "sails"');
    expect(data.datePublished).toBe('2026-11-20T08:30:00Z');
    expect(data.dateModified).toBe('2026-11-21T09:00:00Z');
    expect(data.author.map((a: { name: string }) => a.name)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Ida Wells']);
    expect(data.image).toEqual(['https://news.test/media/ferry.svg']);
    expect(data.publisher.name).toBe('Broadsheet');
  });

  it('serves a nested slug', async () => {
    const res = await get('/articles/world/americas/delta-seeds');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Seeds in the delta');
  });

  it('still renders an article that has no KV metadata', async () => {
    const res = await get('/articles/plain-upload');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Uploaded with plain wrangler');
  });

  it('carries the caching headers', async () => {
    const res = await get(ARTICLE);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=60, stale-while-revalidate=60, stale-if-error=86400');
    expect(res.headers.get('CDN-Cache-Control')).toBe('max-age=300, stale-while-revalidate=60, stale-if-error=86400');
    expect(res.headers.get('Vary')).toBe('CF-IPCountry');
    expect(res.headers.get('Cache-Tag')).toBe('article:local/ferry,articles');
    expect(res.headers.get('Surrogate-Key')).toBe('article:local/ferry articles');
    expect(res.headers.get('Set-Cookie')).toBeNull();
  });

  it('sends security headers', async () => {
    const res = await get(ARTICLE);
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('Permissions-Policy')).toContain('camera=()');
  });
});

describe('regions', () => {
  const cases: [string, string][] = [
    ['US', 'US'], ['GB', 'UK'], ['gb', 'UK'], ['JE', 'UK'], ['IM', 'UK'], ['FK', 'UK'],
    ['DE', 'EU'], ['FR', 'EU'], ['NO', 'EU'], ['CH', 'EU'], ['AU', 'AU'], ['CA', 'CA'],
    ['NZ', 'NZ'], ['JP', 'INTL'], ['BR', 'INTL'], ['XX', 'INTL'], ['T1', 'INTL'],
    ['', 'INTL'], ['USA', 'INTL'], ['1A', 'INTL'], ['<b>geo</b>', 'INTL'], ['U', 'INTL'],
  ];
  for (const [header, group] of cases) {
    it(`CF-IPCountry ${JSON.stringify(header)} gets the ${group} banner`, async () => {
      const res = await get(ARTICLE, { 'CF-IPCountry': header });
      const html = await res.text();
      expect(bannerRegion(html)).toBe(group);
      expect(res.headers.get('Vary')).toBe('CF-IPCountry');
      if (header.length > 2) expect(html).not.toContain(header);
    });
  }

  it('gives INTL and the same Vary when there is no header at all', async () => {
    const res = await get(ARTICLE);
    expect(bannerRegion(await res.text())).toBe('INTL');
    expect(res.headers.get('Vary')).toBe('CF-IPCountry');
  });

  it('lets an allowlisted ?region= preview another group, and ignores anything else', async () => {
    expect(bannerRegion(await (await get(`${ARTICLE}?region=NZ`, { 'CF-IPCountry': 'US' })).text())).toBe('NZ');
    expect(bannerRegion(await (await get(`${ARTICLE}?region=nz`, { 'CF-IPCountry': 'US' })).text())).toBe('US');
    expect(bannerRegion(await (await get(`${ARTICLE}?region=MARS`, { 'CF-IPCountry': 'GB' })).text())).toBe('UK');
  });

  it('shows each group its own currency', async () => {
    const pound = await (await get(ARTICLE, { 'CF-IPCountry': 'GB' })).text();
    const euro = await (await get(ARTICLE, { 'CF-IPCountry': 'DE' })).text();
    const nz = await (await get(ARTICLE, { 'CF-IPCountry': 'NZ' })).text();
    expect(pound).toContain('£4 a month');
    expect(euro).toContain('€4 a month');
    expect(nz).toContain('NZ$7 a month');
    expect(pound).not.toContain('{currency}');
  });
});

describe('drafts', () => {
  it('answers 404 for a draft article and its JSON', async () => {
    expect((await get('/articles/business/secret')).status).toBe(404);
    expect((await get('/api/articles/business/secret')).status).toBe(404);
  });

  it('leaves drafts out of the index, feed and sitemap', async () => {
    for (const path of ['/', '/feed.xml', '/sitemap.xml', '/sitemaps/articles-2026-11.xml', '/sitemaps/news.xml', '/sections/business']) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain('Secret draft');
      expect(text, path).not.toContain('business/secret');
    }
  });
});

describe('index', () => {
  it('lists published articles newest first, including a plain upload once a reader has viewed it', async () => {
    expect((await get('/articles/plain-upload')).status).toBe(200);
    await waitForIndexed('plain-upload');
    const res = await get('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    const order = ['Ferry &lt;returns&gt;', 'Uploaded with plain wrangler', 'Seeds in the delta'].map((t) => html.indexOf(t));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(res.headers.get('Cache-Tag')).toBe('index');
    expect(res.headers.get('Vary')).toBeNull();
  });

  it('answers 404 for a page past the end and for a malformed page number', async () => {
    for (const page of ['2', '0', '-1', 'abc', '1.5', '9999999']) {
      expect((await get(`/?page=${page}`)).status, page).toBe(404);
    }
  });
});

describe('JSON API', () => {
  it('returns metadata and rendered html without a banner', async () => {
    const res = await get('/api/articles/local/ferry', { 'CF-IPCountry': 'GB' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Vary')).toBeNull();
    const data = await res.json<Record<string, unknown>>();
    expect(data.title).toBe('Ferry <returns> & "sails"');
    expect(data.slug).toBe('local/ferry');
    expect(data.tags).toEqual(['transport', 'harbour']);
    expect(data.html).toContain('<h2 id="crossing-the-bay">');
    expect(JSON.stringify(data)).not.toContain('data-region');
  });
});

describe('feed, sitemap and robots', () => {
  it('serves a well-formed Atom feed of published articles', async () => {
    await get('/articles/plain-upload');
    await waitForIndexed('plain-upload');
    const res = await get('/feed.xml');
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<title>Ferry &lt;returns&gt; &amp; &quot;sails&quot;</title>');
    expect(xml).toContain('<id>https://news.test/articles/local/ferry</id>');
    expect(xml.match(/<entry>/g)).toHaveLength(3);
  });

  it('serves a well-formed sitemap index whose month sitemap lists the published articles', async () => {
    const index = await (await get('/sitemap.xml')).text();
    expect(XMLValidator.validate(index)).toBe(true);
    expect(index).toContain('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    expect(index).toContain('<loc>https://news.test/sitemaps/pages.xml</loc>');
    expect(index).toMatch(/<loc>https:\/\/news.test\/sitemaps\/articles-2026-11.xml<\/loc><lastmod>\d{4}-\d\d-\d\dT[\d:.]+Z<\/lastmod>/);
    const month = await get('/sitemaps/articles-2026-11.xml');
    expect(month.headers.get('Content-Type')).toBe('application/xml; charset=utf-8');
    const xml = await month.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<loc>https://news.test/articles/world/americas/delta-seeds</loc>');
    expect(xml).toContain('<loc>https://news.test/articles/local/ferry</loc><lastmod>2026-11-21T09:00:00Z</lastmod>');
    expect(xml).not.toContain('business/secret');
    const pages = await (await get('/sitemaps/pages.xml')).text();
    expect(pages).toContain('<loc>https://news.test/</loc>');
    expect(pages).toContain('<loc>https://news.test/sections/local</loc>');
    expect(pages).toContain('<loc>https://news.test/tags/transport</loc>');
    expect(pages).toContain('<loc>https://news.test/authors/ada-lovelace</loc>');
    expect(pages).toContain('<loc>https://news.test/sections/world</loc>');
  });

  it('points robots.txt at the sitemap index and the news sitemap', async () => {
    const text = await (await get('/robots.txt')).text();
    expect(text).toContain('Sitemap: https://news.test/sitemap.xml');
    expect(text).toContain('Sitemap: https://news.test/sitemaps/news.xml');
  });
});

describe('errors and methods', () => {
  it('answers an unknown article with a helpful, briefly cacheable 404 page', async () => {
    const res = await get('/articles/no-such-article');
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30');
    expect(await res.text()).toContain('The latest news');
  });

  it('answers malformed slugs with 404 without reading KV', async () => {
    // A key that a lax slug check would look up, and find.
    await env.ARTICLES.put('Bad..Key', FERRY);
    // Encoded forms of a key that exists must not be decoded into it.
    for (const path of ['/articles/Bad..Key', '/articles/local%2fferry', '/articles/%6cocal/ferry', '/articles/local/ferry/', '/articles/%2e%2e%2flocal%2fferry', '/articles/a%00b', '/articles/caf%C3%A9', `/articles/${'a'.repeat(5000)}`]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
    }
  });

  it('answers other methods with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await get(ARTICLE, {}, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('Allow')).toBe('GET, HEAD');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    }
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const [head, getRes] = await Promise.all([get(ARTICLE, {}, { method: 'HEAD' }), get(ARTICLE)]);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['Cache-Control', 'CDN-Cache-Control', 'Vary', 'Content-Type', 'Cache-Tag', 'ETag', 'Last-Modified', 'Content-Length']) {
      expect(head.headers.get(name), name).toBe(getRes.headers.get(name));
    }
  });
});

describe('media and assets', () => {
  it('serves media from KV with immutable caching and a sandboxing CSP', async () => {
    const res = await get('/media/ferry.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
  });

  it('answers unknown or unservable media with 404', async () => {
    await env.ARTICLES.put('media/notes.txt', 'not an image');
    expect((await get('/media/missing.svg')).status).toBe(404);
    expect((await get('/media/notes.txt')).status).toBe(404);
    expect((await get('/media/../local/ferry')).status).toBe(404);
  });

  it('serves the stylesheet the pages link to', async () => {
    const html = await (await get(ARTICLE)).text();
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    const res = await get(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toContain('immutable');
  });
});
