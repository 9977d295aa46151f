/**
 * Media in R2 and their resized variants, through the worker in workerd with
 * local R2 and the local Images binding (sharp): what is served, with which
 * validators and ranges, which variants exist and what their bytes are, and
 * what bad input gets.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageDimensions } from '../../../src/media/dimensions.ts';
import { sniffFormat } from '../../../src/media/formats.ts';
import { VARIANT_WIDTHS } from '../../../src/media/variants.ts';
import { articleFile, fetchApp, pngHeader, seedArticle } from '../support/helpers.ts';

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const PHOTO = bytesOf(env.TEST_IMAGES.jpeg); // 1600×2000
const PNG = bytesOf(env.TEST_IMAGES.png); // 900×600

async function body(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

beforeAll(async () => {
  await env.MEDIA.put('media/estuary.jpg', PHOTO, { httpMetadata: { contentType: 'image/jpeg' } });
  await env.MEDIA.put('media/chart.png', PNG, { httpMetadata: { contentType: 'image/png' } });
  await env.MEDIA.put('media/map.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600"/>');
  // Before media:migrate, a file in KV alone.
  await env.ARTICLES.put('media/old-photo.jpg', PHOTO, { metadata: { v: 1, hash: 'kvhash' } });
  // Bad files, as a plain upload could leave them.
  await env.MEDIA.put('media/cut-short.jpg', bytesOf(env.TEST_IMAGES.truncated));
  await env.MEDIA.put('media/really-a-png.jpg', PNG);
  await env.MEDIA.put('media/empty.jpg', new Uint8Array(0));
  await env.MEDIA.put('media/too-wide.png', pngHeader(13_000, 1_000));
  await env.MEDIA.put('media/too-many-pixels.png', pngHeader(8_000, 7_000));
});

describe('originals from R2', () => {
  it('are served whole with their type, length, R2 ETag, immutable caching and the media hardening', async () => {
    const res = await fetchApp('/media/estuary.jpg');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('image/jpeg');
    expect(res.headers.get('Content-Length')).toBe(String(PHOTO.length));
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('Accept-Ranges')).toBe('bytes');
    expect(res.headers.get('X-Media-Source')).toBe('r2');
    expect(res.headers.get('ETag')).toBe((await env.MEDIA.head('media/estuary.jpg'))!.httpEtag);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toContain('sandbox');
    expect(await body(res)).toEqual(PHOTO);
  });

  it('keep the sandboxing CSP on SVG', async () => {
    const res = await fetchApp('/media/map.svg');
    expect(res.headers.get('Content-Type')).toBe('image/svg+xml');
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; sandbox");
  });

  it('answer a matching If-None-Match with 304 and no body, and a stale one with the file', async () => {
    const etag = (await fetchApp('/media/estuary.jpg')).headers.get('ETag')!;
    const fresh = await fetchApp('/media/estuary.jpg', { headers: { 'If-None-Match': etag } });
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get('ETag')).toBe(etag);
    expect((await body(fresh)).length).toBe(0);
    const stale = await fetchApp('/media/estuary.jpg', { headers: { 'If-None-Match': '"something-else"' } });
    expect(stale.status).toBe(200);
  });

  it('answer one range with 206 and exactly those bytes', async () => {
    const size = PHOTO.length;
    for (const [header, offset, length] of [['bytes=0-99', 0, 100], ['bytes=1000-', 1000, size - 1000], ['bytes=-500', size - 500, 500], [`bytes=${size - 10}-${size + 5000}`, size - 10, 10]] as const) {
      const res = await fetchApp('/media/estuary.jpg', { headers: { Range: header } });
      expect(res.status, header).toBe(206);
      expect(res.headers.get('Content-Range')).toBe(`bytes ${offset}-${offset + length - 1}/${size}`);
      expect(res.headers.get('Content-Length')).toBe(String(length));
      expect(await body(res)).toEqual(PHOTO.subarray(offset, offset + length));
    }
  });

  it('answer a range past the end with 416 and the size, uncached', async () => {
    const res = await fetchApp('/media/estuary.jpg', { headers: { Range: `bytes=${PHOTO.length}-` } });
    expect(res.status).toBe(416);
    expect(res.headers.get('Content-Range')).toBe(`bytes */${PHOTO.length}`);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('send the whole file for several ranges or a malformed one, as RFC 9110 allows', async () => {
    for (const header of ['bytes=0-1,5-9', 'bytes=9-2', 'items=0-5', 'bytes=abc']) {
      const res = await fetchApp('/media/estuary.jpg', { headers: { Range: header } });
      expect(res.status, header).toBe(200);
      expect(res.headers.get('Content-Length')).toBe(String(PHOTO.length));
    }
  });

  it('answer HEAD with the headers alone', async () => {
    const res = await fetchApp('/media/estuary.jpg', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Length')).toBe(String(PHOTO.length));
    expect((await body(res)).length).toBe(0);
  });

  it('answer a query string with 400, and a missing or unservable name with 404', async () => {
    const query = await fetchApp('/media/estuary.jpg?width=5000');
    expect(query.status).toBe(400);
    expect(query.headers.get('Cache-Control')).not.toContain('immutable');
    expect((await fetchApp('/media/nothing-here.jpg')).status).toBe(404);
    expect((await fetchApp('/media/notes.txt')).status).toBe(404);
  });
});

describe('the KV fallback, before media:migrate', () => {
  it('serves a file R2 does not hold from KV, with ranges and 304s', async () => {
    const res = await fetchApp('/media/old-photo.jpg');
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Media-Source')).toBe('kv');
    expect(res.headers.get('ETag')).toBe('"kvhash"');
    expect(await body(res)).toEqual(PHOTO);
    const range = await fetchApp('/media/old-photo.jpg', { headers: { Range: 'bytes=10-19' } });
    expect(range.status).toBe(206);
    expect(await body(range)).toEqual(PHOTO.subarray(10, 20));
    expect((await fetchApp('/media/old-photo.jpg', { headers: { 'If-None-Match': '"kvhash"' } })).status).toBe(304);
  });

  it('prefers R2 once R2 holds the file', async () => {
    await env.ARTICLES.put('media/estuary.jpg', 'stale bytes from before the move');
    const res = await fetchApp('/media/estuary.jpg');
    expect(res.headers.get('X-Media-Source')).toBe('r2');
    expect(await body(res)).toEqual(PHOTO);
  });

  it('resizes a file that is only in KV, too', async () => {
    const res = await fetchApp('/media/_/400/old-photo.jpg.webp');
    expect(res.status).toBe(200);
    const bytes = await body(res);
    expect(sniffFormat(bytes)).toBe('webp');
    expect(imageDimensions(bytes)).toEqual({ width: 400, height: 500 });
  });
});

describe('variants', () => {
  it('are made at every allowed width, in AVIF, WebP and the original format, with the bytes they claim', async () => {
    for (const width of VARIANT_WIDTHS) {
      for (const [suffix, format, type] of [['.avif', 'avif', 'image/avif'], ['.webp', 'webp', 'image/webp'], ['', 'jpg', 'image/jpeg']] as const) {
        const res = await fetchApp(`/media/_/${width}/estuary.jpg${suffix}`);
        expect(res.status, `${width}${suffix}`).toBe(200);
        expect(res.headers.get('Content-Type')).toBe(type);
        expect(res.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
        expect(res.headers.get('Vary')).toBeNull();
        const bytes = await body(res);
        expect(sniffFormat(bytes)).toBe(format);
        // Never wider than the 1600 px original; the height keeps its 4:5 shape.
        const expected = Math.min(width, 1600);
        expect(imageDimensions(bytes), `${width}${suffix}`).toEqual({ width: expected, height: expected * 1.25 });
      }
    }
  }, 120_000);

  it('of a PNG are PNG in their own format', async () => {
    const res = await fetchApp('/media/_/640/chart.png');
    const bytes = await body(res);
    expect(res.headers.get('Content-Type')).toBe('image/png');
    expect(sniffFormat(bytes)).toBe('png');
    expect(imageDimensions(bytes)).toEqual({ width: 640, height: 427 });
  });

  it('are made once, kept in R2 and served from there afterwards, without the image service', async () => {
    const first = await fetchApp('/media/_/960/chart.png.avif');
    expect(first.status).toBe(200);
    const made = await body(first);
    const kept = await env.MEDIA.get('variants/960/chart.png.avif');
    expect(kept).not.toBeNull();
    expect(new Uint8Array(await kept!.arrayBuffer())).toEqual(made);
    const failing = { IMAGES: { input: () => { throw new Error('the image service must not be called'); }, info: () => { throw new Error('no'); } } };
    const again = await fetchApp('/media/_/960/chart.png.avif', { bindings: failing });
    expect(again.status).toBe(200);
    expect(again.headers.get('ETag')).toBe(first.headers.get('ETag'));
    expect(await body(again)).toEqual(made);
    expect((await fetchApp('/media/_/960/chart.png.avif', { headers: { 'If-None-Match': first.headers.get('ETag')! } })).status).toBe(304);
  });

  it('exist only at the allowlisted widths: any other width or parameter is a 400', async () => {
    for (const path of ['/media/_/500/estuary.jpg', '/media/_/0/estuary.jpg', '/media/_/99999/estuary.jpg', '/media/_/640.5/estuary.jpg',
      '/media/_/w640/estuary.jpg', '/media/_/0640/estuary.jpg', '/media/_/640/estuary.jpg?quality=100', '/media/_/640/map.svg']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('Cache-Control'), path).not.toContain('immutable');
    }
    const listed = await (await fetchApp('/media/_/500/estuary.jpg')).text();
    expect(listed).toContain('400, 640, 960, 1280, 1920, 2560');
    const stored = await env.MEDIA.list({ prefix: 'variants/500/' });
    expect(stored.objects).toHaveLength(0);
  });

  it('of a missing image are 404s, and in a format not offered 400s', async () => {
    expect((await fetchApp('/media/_/640/nothing.jpg')).status).toBe(404);
    expect((await fetchApp('/media/_/640')).status).toBe(404);
    expect((await fetchApp('/media/_/640/estuary.jpg.gif')).status).toBe(400);
  });

  it('are off when IMAGE_RESIZING is not "images"', async () => {
    expect((await fetchApp('/media/_/640/estuary.jpg.avif', { bindings: { IMAGE_RESIZING: 'none' } })).status).toBe(404);
  });
});

describe('bad images', () => {
  it('are a clear 422 when resized, never a 500, never kept, never cached as immutable', async () => {
    for (const [name, reason] of [
      ['cut-short.jpg', 'could not decode'], ['really-a-png.jpg', 'is a PNG, but its name ends in .jpg'], ['empty.jpg', 'empty'],
      ['too-wide.png', 'no side may exceed 12,000 px'], ['too-many-pixels.png', '56.0 megapixels'],
    ] as const) {
      const res = await fetchApp(`/media/_/640/${name}.avif`);
      expect(res.status, name).toBe(422);
      expect(await res.text(), name).toContain(reason);
      expect(res.headers.get('Cache-Control'), name).not.toContain('immutable');
      expect(await env.MEDIA.head(`variants/640/${name}.avif`), name).toBeNull();
    }
  });
});

describe('pages', () => {
  beforeAll(async () => {
    await seedArticle('local/estuary', articleFile(`title: Mist on the estuary
date: 2026-11-20T08:30:00Z
section: local
image:
  src: /media/estuary.jpg
  alt: Mist over the water`, 'Text.\n\n![A chart of the tides](/media/chart.png "Tides | Broadsheet")\n\n![A map](/media/map.svg)\n'));
  });

  it('offer AVIF, then WebP, then the original format in a <picture>, with intrinsic width and height', async () => {
    const html = await (await fetchApp('/articles/local/estuary')).text();
    const lead = /<figure><picture>(.*?)<\/picture>/.exec(html)![1]!;
    const sources = [...lead.matchAll(/<source type="([^"]+)" srcset="([^"]+)" sizes="([^"]+)">/g)];
    expect(sources.map((s) => s[1])).toEqual(['image/avif', 'image/webp']);
    expect(sources[0]![2]).toBe('/media/_/400/estuary.jpg.avif 400w, /media/_/640/estuary.jpg.avif 640w, /media/_/960/estuary.jpg.avif 960w, ' +
      '/media/_/1280/estuary.jpg.avif 1280w, /media/_/1920/estuary.jpg.avif 1600w');
    // The main image spans the page up to 60rem; the body's figures sit in the 40rem column.
    expect(sources[0]![3]).toBe('(min-width: 60rem) 60rem, 100vw');
    expect(lead).toMatch(/<img src="\/media\/estuary\.jpg" alt="Mist over the water" width="1600" height="2000" srcset="\/media\/_\/400\/estuary\.jpg 400w, [^"]+ 1600w" sizes="\(min-width: 60rem\) 60rem, 100vw" fetchpriority="high"/);
    expect(html).toMatch(/<picture><source type="image\/avif" srcset="\/media\/_\/400\/chart\.png\.avif 400w, \/media\/_\/640\/chart\.png\.avif 640w, \/media\/_\/960\/chart\.png\.avif 900w" sizes="\(min-width: 44rem\) 40rem, 100vw">/);
    // SVG scales by itself: no picture, no srcset.
    expect(html).toMatch(/<img src="\/media\/map\.svg" alt="A map" width="800" height="600" loading="lazy"/);
    expect(html).not.toMatch(/map\.svg[^>]*srcset/);
  });

  it('measure a picture with one ranged R2 read on the first render, and none after', async () => {
    await env.MEDIA.put('media/measured-once.jpg', PHOTO);
    await seedArticle('local/measured', articleFile('title: Measured\ndate: 2026-11-20T08:30:00Z', 'Text.\n\n![A photo](/media/measured-once.jpg)\n'));
    const r2Calls = (res: Response) => Number(/r2;dur=[\d.]+;desc="(\d+) calls?"/.exec(res.headers.get('Server-Timing') ?? '')?.[1] ?? 0);
    const first = await fetchApp('/articles/local/measured', { bindings: { ISOLATE_CACHE_TTL: '0' } });
    expect(await first.text()).toContain('width="1600" height="2000"');
    expect(r2Calls(first)).toBe(1);
    expect(r2Calls(await fetchApp('/articles/local/measured', { bindings: { ISOLATE_CACHE_TTL: '0' } }))).toBe(0);
  });

  it('offer every candidate URL as a working variant', { timeout: 120_000 }, async () => {
    const html = await (await fetchApp('/articles/local/estuary')).text();
    const urls = new Set([...html.matchAll(/srcset="([^"]+)"/g)].flatMap((m) => m[1]!.split(', ').map((c) => c.split(' ')[0]!)));
    expect(urls.size).toBe(5 * 3 + 3 * 3);
    for (const url of urls) expect((await fetchApp(url)).status, url).toBe(200);
  });

  it('give the gallery the same choice, sized to the screen', async () => {
    const html = await (await fetchApp('/gallery/local/estuary')).text();
    expect(html).toMatch(/<picture><source type="image\/avif" srcset="\/media\/_\/400\/estuary\.jpg\.avif 400w[^"]*" sizes="100vw">/);
  });

  it('give list cards the variants at every width', async () => {
    const html = await (await fetchApp('/sections/local')).text();
    expect(html).toMatch(/<picture><source type="image\/avif" srcset="\/media\/_\/400\/estuary\.jpg\.avif 400w, [^"]*\/media\/_\/2560\/estuary\.jpg\.avif 2560w" sizes="[^"]+">/);
  });

  it('keep one srcset of /cdn-cgi/image/ URLs when the zone resizes instead', async () => {
    const html = await (await fetchApp('/articles/local/estuary', { bindings: { IMAGE_RESIZING: 'cloudflare' } })).text();
    expect(html).not.toContain('<picture>');
    expect(html).toContain('srcset="/cdn-cgi/image/width=480,quality=82,format=auto/media/estuary.jpg 480w');
  });
});
