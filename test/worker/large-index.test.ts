// The index lists from KV metadata with one `list` per 1,000 keys, following
// the cursor: 1,001 articles need two pages of KV list and all must appear.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseArticle } from '../../src/article.ts';
import { contentHash, toMetadata } from '../../src/store.ts';
import { articleFile, get } from './helpers.ts';

const COUNT = 1001;

beforeAll(async () => {
  const writes: Promise<void>[] = [];
  for (let i = 0; i < COUNT; i++) {
    const n = String(i).padStart(4, '0');
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(Math.floor(i / 60) % 24).padStart(2, '0');
    const day = String(1 + Math.floor(i / 1440)).padStart(2, '0');
    const source = articleFile(`title: Story ${n}\ndate: 2026-01-${day}T${hour}:${minute}:00Z`);
    const parsed = parseArticle(source, `bulk/story-${n}`);
    if (!parsed.ok) throw new Error('bad fixture');
    writes.push(env.ARTICLES.put(`bulk/story-${n}`, source, { metadata: toMetadata(parsed.article, await contentHash(source)) }));
  }
  await Promise.all(writes);
}, 60_000);

describe(`an index of ${COUNT} articles`, () => {
  it('counts every article in the pagination, newest first', async () => {
    const first = await (await get('/')).text();
    expect(first).toContain(`Page 1 of ${Math.ceil(COUNT / 20)}`);
    expect(first.indexOf('Story 1000')).toBeGreaterThan(0);
    expect(first.indexOf('Story 1000')).toBeLessThan(first.indexOf('Story 0999'));
    const last = await (await get(`/?page=${Math.ceil(COUNT / 20)}`)).text();
    expect(last).toContain('Story 0000');
    expect(last.match(/class="card"/g)).toHaveLength(COUNT % 20 || 20);
  });

  it('puts every article in the sitemap', async () => {
    const xml = await (await get('/sitemap.xml')).text();
    expect(xml.match(/<loc>[^<]*\/articles\/bulk\//g)).toHaveLength(COUNT);
  });
});
