import { beforeAll, describe, expect, it } from 'vitest';
import { articleFile, get, seedArticle } from './helpers.ts';

// 25 articles, one a day: page 1 holds the newest 20 (INDEX_PAGE_SIZE), page 2 the rest.
beforeAll(async () => {
  for (let day = 1; day <= 25; day++) {
    const dd = String(day).padStart(2, '0');
    await seedArticle(`day-${dd}`, articleFile(`title: Day ${dd} story\ndate: 2026-03-${dd}T10:00:00Z`));
  }
});

function titles(html: string): string[] {
  return [...html.matchAll(/<h2 id="card-[^"]+"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1]!);
}

describe('index pagination', () => {
  it('puts the newest 20 on page 1 with a link to page 2', async () => {
    const html = await (await get('/')).text();
    const list = titles(html);
    expect(list).toHaveLength(20);
    expect(list[0]).toBe('Day 25 story');
    expect(list[19]).toBe('Day 06 story');
    expect(html).toContain('<a rel="next" href="/?page=2">');
    expect(html).not.toContain('rel="prev"');
    expect(html).toContain('<link rel="canonical" href="https://news.test/">');
  });

  it('puts the rest on page 2, linking back', async () => {
    const res = await get('/?page=2');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(titles(html)).toEqual(['Day 05 story', 'Day 04 story', 'Day 03 story', 'Day 02 story', 'Day 01 story']);
    expect(html).toContain('<a rel="prev" href="/">');
    expect(html).not.toContain('rel="next"');
    expect(html).toContain('<link rel="canonical" href="https://news.test/?page=2">');
  });

  it('has no page 3', async () => {
    expect((await get('/?page=3')).status).toBe(404);
  });
});
