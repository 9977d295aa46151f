// The render cache: typed entries in one least-recently-used map, never
// more than RENDER_CACHE_MB, the most recent renders kept.
import { describe, expect, it } from 'vitest';
import { renderCacheBytes, renderCacheContents } from '../../../src/articles/render-cache.ts';
import { contentHash } from '../../../src/storage/kv-format.ts';
import { ORIGIN, articleFile, fetchApp, seedArticle } from '../support/helpers.ts';

describe('the render cache', () => {
  it('never holds more than RENDER_CACHE_MB, however many articles are read', async () => {
    const bindings = { RENDER_CACHE_MB: '1' };
    const body = 'A sentence of ordinary prose for the cache test. '.repeat(300); // ~15 KB
    const sources = Array.from({ length: 120 }, (_, i) => articleFile(`title: Cache ${i}\ndate: 2026-11-01`, body));
    for (const [i, source] of sources.entries()) await seedArticle(`cache/a-${i}`, source);
    for (let i = 0; i < sources.length; i++) expect((await fetchApp(`/articles/cache/a-${i}`, { bindings })).status).toBe(200);
    // 120 rendered pages of this size need several megabytes; the budget is one.
    expect(renderCacheBytes()).toBeLessThanOrEqual(1024 * 1024);
    expect(renderCacheBytes()).toBeGreaterThan(512 * 1024);
    const renders = renderCacheContents().filter((e) => e.kind === 'render');
    const rendered = async (i: number) => {
      const suffix = `|${ORIGIN}|cache/a-${i}|${await contentHash(sources[i]!)}`;
      return renders.some((e) => e.key.endsWith(suffix));
    };
    expect(await rendered(119)).toBe(true);
    expect(await rendered(0)).toBe(false);
  });
});

describe('an article larger than the whole budget', () => {
  it('is still served, though its parsed file is never kept', async () => {
    const body = 'Paragraph of a very long report. '.repeat(18_000) + '\n\nThe last line.\n'; // ~600 KB, which counts double
    await seedArticle('cache/huge', articleFile('title: Too big to keep\ndate: 2026-11-01', body));
    for (let i = 0; i < 2; i++) {
      const res = await fetchApp('/articles/cache/huge', { bindings: { RENDER_CACHE_MB: '1' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('The last line.');
    }
    expect(renderCacheContents().some((e) => e.kind === 'parsed' && e.key.includes('cache/huge'))).toBe(false);
  });
});
