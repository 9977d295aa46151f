// Every shipped article passes the validation `npm run publish` runs, so a
// broken sample fails CI rather than a reader's page.
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article.ts';
import { renderMarkdown } from '../../src/markdown.ts';

const files = import.meta.glob<string>('../../articles/**/*.md', { query: '?raw', import: 'default', eager: true });
const media = new Set(Object.keys(import.meta.glob('../../articles/media/**/*')).map((f) => f.replace('../../articles/media/', '')));

const articles = Object.entries(files).map(([file, source]) => {
  const slug = file.replace('../../articles/', '').replace(/\.md$/, '');
  return { file, slug, result: parseArticle(source, slug) };
});

describe('articles/', () => {
  it('holds the sample set the README promises', () => {
    expect(articles.length).toBeGreaterThanOrEqual(6);
    const ok = articles.flatMap((a) => (a.result.ok ? [a.result.article] : []));
    expect(ok.some((a) => a.draft)).toBe(true);
    expect(ok.some((a) => a.updated)).toBe(true);
    expect(ok.some((a) => a.authors.length > 1)).toBe(true);
    expect(ok.some((a) => a.image?.caption && a.image.credit)).toBe(true);
    expect(ok.some((a) => a.slug.split('/').length >= 3)).toBe(true);
    expect(ok.some((a) => /!\[[^\]]+\]\([^)]+ "[^"]+\|[^"]+"\)/.test(a.body))).toBe(true);
  });

  for (const { file, slug, result } of articles) {
    it(`${slug} is valid, with no warnings`, () => {
      expect(result.ok ? result.warnings : result.problems, file).toEqual([]);
    });

    it(`${slug} shows only media that ship with it`, () => {
      if (!result.ok) return expect.fail(`${file} does not parse`);
      const html = renderMarkdown(result.article.body);
      const used = [result.article.image?.src, ...[...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1])]
        .filter((src): src is string => !!src && src.startsWith('/'));
      for (const src of used) {
        expect(src.startsWith('/media/'), src).toBe(true);
        expect(media.has(src.slice('/media/'.length)), `${src} is missing from articles/media/`).toBe(true);
      }
    });
  }
});
