// What readers get beyond the words: sections, figures that do not shift,
// a dismissible banner that keeps the HTML cacheable, and a light page.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_SCRIPT, SUPPORT_SCRIPT_HASH } from '../../src/region/banner-script.ts';
import app from '../../src/index.ts';
import { imageDimensions } from '../../src/media/dimensions.ts';
import { ORIGIN, articleFile, bannerRegion, get, seedArticle } from './helpers.ts';

/** A PNG header for an image of the given size (enough for imageDimensions). */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

beforeAll(async () => {
  await env.ARTICLES.put('media/wide.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800"/>');
  await env.ARTICLES.put('media/photo.png', pngHeader(2000, 1000));
  await seedArticle('world/one', articleFile(`title: World one
date: 2026-11-10T10:00:00Z
section: world
image:
  src: /media/wide.svg
  alt: A wide picture
  caption: Caption
  credit: Credit`, 'Text.\n\n![A photo](/media/photo.png "A photo | Someone")\n\n![Elsewhere](https://example.com/x.png)\n'));
  await seedArticle('world/two', articleFile('title: World two\ndate: 2026-11-11T10:00:00Z\nsection: world'));
  await seedArticle('culture/three', articleFile('title: Culture three\ndate: 2026-11-12T10:00:00Z\nsection: culture'));
});

describe('section pages', () => {
  it('list only that section, newest first, and mark it current in the masthead', async () => {
    const res = await get('/sections/world');
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
    expect((await get('/sections/sport')).status).toBe(404);
    expect((await get('/sections/Not%20One')).status).toBe(404);
    expect((await get('/sections/world?page=2')).status).toBe(404);
  });

  it('are linked from the article kicker', async () => {
    expect(await (await get('/articles/world/one')).text()).toContain('<p class="kicker"><a href="/sections/world">World</a></p>');
  });
});

describe('figures', () => {
  it('carry the intrinsic width and height of our own media, and none for others', async () => {
    const html = await (await get('/articles/world/one')).text();
    expect(html).toMatch(/<img src="\/media\/wide\.svg" alt="A wide picture" width="1200" height="800" fetchpriority="high"/);
    expect(html).toMatch(/<img src="\/media\/photo\.png" alt="A photo" width="2000" height="1000" loading="lazy"/);
    expect(html).toMatch(/<img src="https:\/\/example\.com\/x\.png" alt="Elsewhere" loading="lazy"/);
    expect(html).not.toContain('srcset');
  });

  it('get a srcset of resized variants when Cloudflare image resizing is on (raster only)', async () => {
    const res = await app.fetch(new Request(`${ORIGIN}/articles/world/one`), { ...env, IMAGE_RESIZING: 'cloudflare' });
    const html = await res.text();
    expect(html).toContain('srcset="/cdn-cgi/image/width=480,quality=82,format=auto/media/photo.png 480w, ' +
      '/cdn-cgi/image/width=800,quality=82,format=auto/media/photo.png 800w, /cdn-cgi/image/width=1200,quality=82,format=auto/media/photo.png 1200w, ' +
      '/cdn-cgi/image/width=1600,quality=82,format=auto/media/photo.png 1600w, /cdn-cgi/image/width=2000,quality=82,format=auto/media/photo.png 2000w"');
    expect(html).toContain('sizes="(min-width: 44rem) 40rem, 100vw"');
    expect(html).not.toMatch(/wide\.svg[^>]*srcset/);
  });
});

describe('image sizes', () => {
  const svg = (s: string) => new TextEncoder().encode(s);
  it('are read from SVG, PNG, GIF, JPEG and WebP headers', () => {
    expect(imageDimensions(svg('<svg width="300" height="150" xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ width: 300, height: 150 });
    expect(imageDimensions(svg('<?xml version="1.0"?>\n<svg viewBox="0 0 1200 800">'))).toEqual({ width: 1200, height: 800 });
    expect(imageDimensions(svg('<svg width="100%" viewBox="0,0,64,48">'))).toEqual({ width: 64, height: 48 });
    expect(imageDimensions(pngHeader(640, 480))).toEqual({ width: 640, height: 480 });
    expect(imageDimensions(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02]))).toEqual({ width: 800, height: 600 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 17, 8, 0x01, 0xe0, 0x02, 0x80, 3]);
    expect(imageDimensions(jpeg)).toEqual({ width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(svg('RIFF'), 0); webp.set(svg('WEBP'), 8); webp.set(svg('VP8X'), 12);
    webp.set([0x1f, 0x03, 0x00, 0x57, 0x02, 0x00], 24); // 800 x 600, stored minus one
    expect(imageDimensions(webp)).toEqual({ width: 800, height: 600 });
  });

  it('are null for anything else', () => {
    expect(imageDimensions(svg('not an image'))).toBeNull();
    expect(imageDimensions(svg('<svg width="auto">'))).toBeNull();
    expect(imageDimensions(new Uint8Array([0xff, 0xd8, 0x00]))).toBeNull();
  });
});

describe('the support banner', () => {
  it('has a dismiss button that only the script reveals, and the script is allowed by its hash', async () => {
    const res = await get('/articles/world/one', { 'CF-IPCountry': 'AU' });
    const html = await res.text();
    expect(bannerRegion(html)).toBe('AU');
    expect(html).toContain('<button type="button" class="support-dismiss" data-support-dismiss aria-label="Hide this message for 30 days">');
    expect(html).toContain(`<script>${SUPPORT_SCRIPT}</script>`);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(SUPPORT_SCRIPT));
    const hash = `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
    expect(hash).toBe(SUPPORT_SCRIPT_HASH);
    expect(res.headers.get('Content-Security-Policy')).toContain(`script-src ${hash};`);
  });

  it('keeps the HTML identical and cookie-free for every reader of a region', async () => {
    const [a, b] = await Promise.all([get('/articles/world/one', { 'CF-IPCountry': 'CA' }), get('/articles/world/one', { 'CF-IPCountry': 'CA' })]);
    expect(await a.text()).toBe(await b.text());
    expect(a.headers.get('Set-Cookie')).toBeNull();
    expect(SUPPORT_SCRIPT).toContain('localStorage');
    expect(SUPPORT_SCRIPT).not.toContain('cookie');
  });
});

describe('page weight', () => {
  it('keeps an article page with its stylesheet within 30 KB gzipped', async () => {
    const html = await (await get('/articles/world/one', { 'CF-IPCountry': 'GB' })).text();
    const cssPath = /<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!;
    const css = await (await get(cssPath)).text();
    const total = (await gzipSize(html)) + (await gzipSize(css));
    console.log(`article page ${await gzipSize(html)} B + stylesheet ${await gzipSize(css)} B gzipped`);
    expect(total).toBeLessThanOrEqual(30 * 1024);
  });

  it('keeps a gallery page with its stylesheet within 30 KB gzipped, before its pictures', async () => {
    const source = articleFile('title: Six pictures\ndate: 2026-11-20', Array.from({ length: 6 }, (_, i) =>
      `![Picture ${i} of the harbour at low tide, from the north wall](/media/p${i}.svg "Caption ${i}: boats resting on the mud as the tide goes out | Photographer ${i}")`).join('\n\n'));
    await seedArticle('world/six-pictures', source);
    const res = await get('/gallery/world/six-pictures');
    expect(res.status).toBe(200);
    const html = await res.text();
    const css = await (await get(/<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!)).text();
    console.log(`gallery page (6 pictures) ${await gzipSize(html)} B + stylesheet ${await gzipSize(css)} B gzipped`);
    expect((await gzipSize(html)) + (await gzipSize(css))).toBeLessThanOrEqual(30 * 1024);
  });

  it('needs no web fonts', async () => {
    const html = await (await get('/articles/world/one')).text();
    const css = await (await get(/<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!)).text();
    expect(css).not.toMatch(/@font-face|@import|url\(/);
  });
});

describe('the 404 page', () => {
  it('offers the front page and every section, and noindex', async () => {
    const html = await (await get('/articles/not-here')).text();
    expect(html).toContain('<a href="/">The latest news</a>');
    expect(html).toContain('<a href="/sections/world">World</a>');
    expect(html).toContain('<meta name="robots" content="noindex">');
  });
});
