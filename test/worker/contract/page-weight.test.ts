// What a reader downloads: an article or gallery page and its stylesheet
// within 30 KB gzipped, and no web fonts.
import { describe, expect, it, beforeAll } from 'vitest';
import { articleFile, fetchApp, seedArticle } from '../support/helpers.ts';
import { seedReaderArticles } from '../support/fixtures.ts';

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** The stylesheet a page links to. */
async function stylesheetOf(html: string): Promise<string> {
  return (await fetchApp(/<link rel="stylesheet" href="([^"]+)">/.exec(html)![1]!)).text();
}

beforeAll(async () => {
  await seedReaderArticles();
});

describe('page weight', () => {
  it('keeps an article page with its stylesheet within 30 KB gzipped', async () => {
    const html = await (await fetchApp('/articles/world/one', { headers: { 'CF-IPCountry': 'GB' } })).text();
    const css = await stylesheetOf(html);
    const total = (await gzipSize(html)) + (await gzipSize(css));
    console.log(`article page ${await gzipSize(html)} B + stylesheet ${await gzipSize(css)} B gzipped`);
    expect(total).toBeLessThanOrEqual(30 * 1024);
  });

  it('keeps a gallery page with its stylesheet within 30 KB gzipped, before its pictures', async () => {
    const source = articleFile('title: Six pictures\ndate: 2026-11-20', Array.from({ length: 6 }, (_, i) =>
      `![Picture ${i} of the harbour at low tide, from the north wall](/media/p${i}.svg "Caption ${i}: boats resting on the mud as the tide goes out | Photographer ${i}")`).join('\n\n'));
    await seedArticle('world/six-pictures', source);
    const res = await fetchApp('/gallery/world/six-pictures');
    expect(res.status).toBe(200);
    const html = await res.text();
    const css = await stylesheetOf(html);
    console.log(`gallery page (6 pictures) ${await gzipSize(html)} B + stylesheet ${await gzipSize(css)} B gzipped`);
    expect((await gzipSize(html)) + (await gzipSize(css))).toBeLessThanOrEqual(30 * 1024);
  });

  it('needs no web fonts', async () => {
    const html = await (await fetchApp('/articles/world/one')).text();
    const css = await stylesheetOf(html);
    expect(css).not.toMatch(/@font-face|@import|url\(/);
  });
});
