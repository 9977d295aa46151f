// The article page and what it is made of: the page itself, its JSON twin,
// figures with their intrinsic sizes, drafts, media, and the 404 page.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_SCRIPT } from '../../../src/region/banner-script.ts';
import { fetchApp } from '../support/helpers.ts';
import { seedReaderArticles, seedRoutesArticles } from '../support/fixtures.ts';

beforeAll(async () => {
  await seedRoutesArticles();
  await seedReaderArticles();
});

const ARTICLE = '/articles/local/ferry';

describe('article page', () => {
  it('renders a complete page with escaped front matter', async () => {
    const res = await fetchApp(ARTICLE);
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
    const html = await (await fetchApp(ARTICLE)).text();
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
    const res = await fetchApp('/articles/world/americas/delta-seeds');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Seeds in the delta');
  });

  it('still renders an article that has no KV metadata', async () => {
    const res = await fetchApp('/articles/plain-upload');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Uploaded with plain wrangler');
  });
});

describe('JSON API', () => {
  it('returns metadata and rendered html without a banner', async () => {
    const res = await fetchApp('/api/articles/local/ferry', { headers: { 'CF-IPCountry': 'GB' } });
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

describe('drafts', () => {
  it('answers 404 for a draft article and its JSON', async () => {
    expect((await fetchApp('/articles/business/secret')).status).toBe(404);
    expect((await fetchApp('/api/articles/business/secret')).status).toBe(404);
  });
});

describe('figures', () => {
  it('carry the intrinsic width and height of our own media, and none for others', async () => {
    const html = await (await fetchApp('/articles/world/one', { bindings: { IMAGE_RESIZING: 'none' } })).text();
    expect(html).toMatch(/<img src="\/media\/wide\.svg" alt="A wide picture" width="1200" height="800" fetchpriority="high"/);
    expect(html).toMatch(/<img src="\/media\/photo\.png" alt="A photo" width="2000" height="1000" loading="lazy"/);
    expect(html).toMatch(/<img src="https:\/\/example\.com\/x\.png" alt="Elsewhere" loading="lazy"/);
    expect(html).not.toContain('srcset');
  });

  it('get a srcset of resized variants when Cloudflare image resizing is on (raster only)', async () => {
    const res = await fetchApp('/articles/world/one', { bindings: { IMAGE_RESIZING: 'cloudflare' } });
    const html = await res.text();
    expect(html).toContain('srcset="/cdn-cgi/image/width=480,quality=82,format=auto/media/photo.png 480w, ' +
      '/cdn-cgi/image/width=800,quality=82,format=auto/media/photo.png 800w, /cdn-cgi/image/width=1200,quality=82,format=auto/media/photo.png 1200w, ' +
      '/cdn-cgi/image/width=1600,quality=82,format=auto/media/photo.png 1600w, /cdn-cgi/image/width=2000,quality=82,format=auto/media/photo.png 2000w"');
    expect(html).toContain('sizes="(min-width: 44rem) 40rem, 100vw"');
    expect(html).not.toMatch(/wide\.svg[^>]*srcset/);
  });
});

describe('media and assets', () => {
  it('serves media from KV (before media:migrate) with immutable caching and a sandboxing CSP', async () => {
    const res = await fetchApp('/media/ferry.svg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
  });

  it('answers unknown or unservable media with 404', async () => {
    await env.ARTICLES.put('media/notes.txt', 'not an image');
    expect((await fetchApp('/media/missing.svg')).status).toBe(404);
    expect((await fetchApp('/media/notes.txt')).status).toBe(404);
    expect((await fetchApp('/media/../local/ferry')).status).toBe(404);
  });

  it('serves the stylesheet the pages link to', async () => {
    const html = await (await fetchApp(ARTICLE)).text();
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    const res = await fetchApp(href);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('Cache-Control')).toContain('immutable');
  });
});

describe('the 404 page', () => {
  it('offers the front page and every section, and noindex', async () => {
    const res = await fetchApp('/articles/not-here');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<a href="/">The latest news</a>');
    expect(html).toContain('<a href="/sections/world">World</a>');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });
});
