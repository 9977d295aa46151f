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
