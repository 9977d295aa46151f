import { describe, expect, it } from 'vitest';
import { isValidTag, listTag, purgeSet, tagsForChange, type TaggedVersion } from '../../../src/content/cache-tags.ts';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const version = (over: Partial<TaggedVersion> = {}): TaggedVersion => ({
  slug: 'world/x', publishedAt: Date.parse('2026-11-20T08:00:00Z'), draft: false, lists: ['', 'section:world', 'tag:rivers', 'author:ada'], ...over,
});

describe('tagsForChange', () => {
  it('purges the article and every list it is on, its month, the sitemaps and search', () => {
    expect(tagsForChange('world/x', null, version(), NOW).sort()).toEqual([
      'article:world/x', 'author:ada', 'front', 'search', 'section:world', 'sitemap:2026-11', 'sitemap:index', 'sitemap:pages', 'tag:rivers',
    ]);
  });

  it('purges the lists it leaves as well as those it joins', () => {
    const moved = tagsForChange('world/x', version(), version({ lists: ['', 'section:politics'], publishedAt: Date.parse('2026-10-01') }), NOW);
    expect(moved).toEqual(expect.arrayContaining(['section:world', 'tag:rivers', 'author:ada', 'section:politics', 'sitemap:2026-11', 'sitemap:2026-10']));
  });

  it('adds the news sitemap for an article of the last 48 hours or a scheduled one, not for older ones', () => {
    expect(tagsForChange('world/x', null, version({ publishedAt: NOW - 3600_000 }), NOW)).toContain('sitemap:news');
    expect(tagsForChange('world/x', null, version({ publishedAt: NOW + 3600_000 }), NOW)).toContain('sitemap:news');
    expect(tagsForChange('world/x', null, version({ publishedAt: NOW - 49 * 3600_000 }), NOW)).not.toContain('sitemap:news');
  });

  it('purges only the pages of a draft that stays a draft, and the lists of one that was published', () => {
    expect(tagsForChange('world/x', version({ draft: true, lists: [] }), version({ draft: true, lists: [] }), NOW)).toEqual(['article:world/x']);
    expect(tagsForChange('world/x', version(), null, NOW)).toContain('front');
  });
});

describe('purgeSet', () => {
  it('keeps exact tags within the limit, sorted and once each', () => {
    expect(purgeSet(['b', 'a', 'b'], 10)).toEqual({ tags: ['a', 'b'], broadened: false });
  });

  it('broadens list tags to index first, then articles to articles', () => {
    const tags = ['article:a', 'article:b', 'section:x', 'tag:y', 'front'];
    expect(purgeSet(tags, 3)).toEqual({ tags: ['article:a', 'article:b', 'index'], broadened: true });
    expect(purgeSet(tags, 2)).toEqual({ tags: ['articles', 'index'], broadened: true });
    expect(purgeSet(['article:a', 'article:b', 'article:c'], 2)).toEqual({ tags: ['articles'], broadened: true });
  });
});

describe('tag names', () => {
  it('names the front page front and every other list by its key', () => {
    expect(listTag('')).toBe('front');
    expect(listTag('author:ruth-okafor')).toBe('author:ruth-okafor');
  });

  it('accepts printable ASCII without spaces or commas, up to 1,024 characters', () => {
    for (const ok of ['index', 'article:world/americas/x', 'x'.repeat(1024)]) expect(isValidTag(ok), ok).toBe(true);
    for (const bad of ['', 'a b', 'a,b', 'é', 'a\n', 'x'.repeat(1025)]) expect(isValidTag(bad), bad).toBe(false);
  });
});
