// Every picture of an article at full size, at /gallery/<slug>: in reading
// order, each with its anchor, caption, credit and alt text, one link away
// from its figure; cached like the article and purged with it; as invisible
// as its article while that is a draft or scheduled.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { previewPath } from '../../../src/content/preview-link.ts';
import { findUnsafe } from '../support/safe-html.ts';
import { FRONT_MATTER_XSS } from '../support/xss-corpus.ts';
import { articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

const PICTURES = articleFile(`
title: The harbour in pictures
date: 2026-11-20T08:00:00Z
section: local
image:
  src: /media/main.svg
  alt: The harbour wall at dawn
  caption: The wall, rebuilt
  credit: Ann Photo
`, [
  'First a paragraph.',
  '![Boats moored three deep](/media/boats.svg "Boats at rest | Ben Camera")',
  'Some text with an inline ![tiny map](/media/map.svg) in it.',
  '![A gull on a post](/media/gull.svg)',
  'A refused one: ![not shown](javascript:alert(1))',
].join('\n\n'));

/** The gallery's pictures in order: anchor, src and alt. */
function pictures(html: string): { id: string; src: string; alt: string }[] {
  return [...html.matchAll(/<li class="gallery-item" id="(image-\d+)">\n<figure>\n<img src="([^"]+)" alt="([^"]*)"/g)]
    .map((m) => ({ id: m[1]!, src: m[2]!, alt: m[3]! }));
}

beforeAll(async () => {
  await seedArticle('local/pictures', PICTURES);
  await seedArticle('local/words', articleFile('title: Only words\ndate: 2026-11-20T08:00:00Z'));
  await seedArticle('desk/draft-pictures', articleFile('title: Draft pictures\ndate: 2026-11-20\ndraft: true', '![Secret](/media/secret.svg)'));
  await seedArticle('desk/later-pictures', articleFile('title: Later pictures\ndate: 2099-01-01T06:00:00Z', '![Later](/media/later.svg)'));
  await env.ARTICLES.put('media/main.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800"/>');
  await env.ARTICLES.put('media/boats.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="1200"/>');
});

describe('the gallery', () => {
  it('holds every picture in reading order: the main image, then the body\'s, each with its anchor', async () => {
    const res = await fetchApp('/gallery/local/pictures');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pictures(html)).toEqual([
      { id: 'image-1', src: '/media/main.svg', alt: 'The harbour wall at dawn' },
      { id: 'image-2', src: '/media/boats.svg', alt: 'Boats moored three deep' },
      { id: 'image-3', src: '/media/map.svg', alt: 'tiny map' },
      { id: 'image-4', src: '/media/gull.svg', alt: 'A gull on a post' },
    ]);
    expect(html).toContain('<figcaption><span class="gallery-count">1 of 4</span> The wall, rebuilt <span class="credit">Ann Photo</span></figcaption>');
    expect(html).toContain('<figcaption><span class="gallery-count">2 of 4</span> Boats at rest <span class="credit">Ben Camera</span></figcaption>');
    expect(html).not.toContain('javascript');
    expect(findUnsafe(html, { page: true })).toEqual([]);
  });

  it('moves between pictures with links, back to the article, and keeps the intrinsic sizes', async () => {
    const html = await (await fetchApp('/gallery/local/pictures')).text();
    expect(html).toContain('<nav class="gallery-nav" aria-label="Image 1 of 4"><span></span><a href="#image-2">Next<span class="visually-hidden"> image</span> →</a></nav>');
    expect(html).toContain('<a href="#image-1">← Previous<span class="visually-hidden"> image</span></a><a href="#image-3">Next');
    expect(html).toContain('<nav class="gallery-nav" aria-label="Image 4 of 4"><a href="#image-3">← Previous<span class="visually-hidden"> image</span></a><a href="/articles/local/pictures">Back to the article</a></nav>');
    expect(html).toContain('<img src="/media/main.svg" alt="The harbour wall at dawn" width="1200" height="800" fetchpriority="high" decoding="async">');
    expect(html).toContain('<img src="/media/boats.svg" alt="Boats moored three deep" width="900" height="1200" loading="lazy" decoding="async">');
    expect(html).toContain('<link rel="canonical" href="https://news.test/articles/local/pictures">');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).not.toContain('data-region');
  });

  it('is one link away from every figure of the article, the main image included', async () => {
    const html = await (await fetchApp('/articles/local/pictures', { headers: { 'CF-IPCountry': 'GB' } })).text();
    const links = [...html.matchAll(/<a class="gallery-link" href="([^"]+)">Open image in gallery<span class="visually-hidden">, image (\d+)<\/span><\/a>/g)];
    // Figures only: the inline map is in the gallery, but a link under running text would read oddly.
    expect(links.map((m) => m[1])).toEqual(['/gallery/local/pictures#image-1', '/gallery/local/pictures#image-2', '/gallery/local/pictures#image-4']);
    expect(links.map((m) => m[2])).toEqual(['1', '2', '4']);
  });

  it('is a 404 for an article without pictures, and links none', async () => {
    const res = await fetchApp('/gallery/local/words');
    expect(res.status).toBe(404);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30');
    expect(await (await fetchApp('/articles/local/words')).text()).not.toContain('gallery-link');
    expect((await fetchApp('/gallery/local/nothing-here')).status).toBe(404);
    expect((await fetchApp('/gallery/Local/Pictures')).status).toBe(404);
  });
});

describe('caching', () => {
  it('carries the article\'s contract and purge tag, varies on nothing, and answers 304', async () => {
    const res = await fetchApp('/gallery/local/pictures', { headers: { 'CF-IPCountry': 'GB' } });
    const us = await fetchApp('/gallery/local/pictures', { headers: { 'CF-IPCountry': 'US' } });
    expect(res.headers.get('ETag')).toMatch(/^"[0-9a-f]{16}\.gallery\.[0-9a-f]{8}"$/);
    expect(us.headers.get('ETag')).toBe(res.headers.get('ETag'));
    expect(res.headers.get('Vary')).toBeNull();
    expect(res.headers.get('Cache-Tag')).toBe('article:local/pictures,articles');
    expect(res.headers.get('Last-Modified')).toBe('Fri, 20 Nov 2026 08:00:00 GMT');
    expect(res.headers.get('CDN-Cache-Control')).toMatch(/^max-age=\d+/);
    const again = await fetchApp('/gallery/local/pictures', { headers: { 'If-None-Match': res.headers.get('ETag')! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('changes its ETag with the article', async () => {
    const before = (await fetchApp('/gallery/local/pictures')).headers.get('ETag');
    await seedArticle('local/pictures', PICTURES.replace('The wall, rebuilt', 'The wall, rebuilt in stone'));
    const after = await fetchApp('/gallery/local/pictures');
    expect(after.headers.get('ETag')).not.toBe(before);
    expect(await after.text()).toContain('The wall, rebuilt in stone');
  });
});

describe('drafts and scheduled articles', () => {
  it('have no gallery a reader can see', async () => {
    expect((await fetchApp('/gallery/desk/draft-pictures')).status).toBe(404);
    const later = await fetchApp('/gallery/desk/later-pictures');
    expect(later.status).toBe(404);
  });

  it('show their gallery through the signed preview, privately, linked from the preview', async () => {
    const link = await previewPath('test-preview-secret', 'desk/draft-pictures', Date.now());
    const page = await (await fetchApp(link)).text();
    const signed = link.slice(link.indexOf('?'));
    expect(page).toContain(`href="/gallery/desk/draft-pictures${signed.replace('&', '&amp;')}#image-1"`);
    const gallery = await fetchApp(`/gallery/desk/draft-pictures${signed}`);
    expect(gallery.status).toBe(200);
    expect(gallery.headers.get('Cache-Control')).toBe('private, no-store');
    const html = await gallery.text();
    expect(pictures(html).map((p) => p.alt)).toEqual(['Secret']);
    expect(html).toContain(`<a href="/preview/desk/draft-pictures${signed.replace('&', '&amp;')}">Back to the article</a>`);
    expect(html).toContain('<meta name="robots" content="noindex, nofollow">');
    // Any other first character of the signature: the link no longer verifies.
    const tampered = signed.replace(/sig=(.)/, (_, first: string) => `sig=${first === 'A' ? 'B' : 'A'}`);
    expect(tampered).not.toBe(signed);
    expect((await fetchApp(`/gallery/desk/draft-pictures${tampered}`)).status).toBe(403);
  });
});

describe('hostile front-matter image values', () => {
  FRONT_MATTER_XSS.forEach((value, n) => {
    it(`keep ${JSON.stringify(value).slice(0, 50)} inert in the gallery`, async () => {
      const q = JSON.stringify(value);
      const slug = `xss/gallery-${n}`;
      await seedArticle(slug, articleFile(`title: Gallery case ${n}\ndate: 2026-11-20\nimage:\n  src: /media/x.svg\n  alt: ${q}\n  caption: ${q}\n  credit: ${q}`, `![${value.replace(/[[\]\\]/g, '')}](/media/y.svg ${JSON.stringify(`${value} | ${value}`.replace(/"/g, "'"))})`));
      const res = await fetchApp(`/gallery/${slug}`);
      expect(res.status).toBe(200);
      expect(findUnsafe(await res.text(), { page: true })).toEqual([]);
    });
  });
});
