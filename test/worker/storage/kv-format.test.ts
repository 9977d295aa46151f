import { describe, expect, it } from 'vitest';
import { entryFromMetadata, toMetadata } from '../../../src/storage/kv-format.ts';
import { TEST_ARTICLE } from '../support/helpers.ts';

const HASH = 'c'.repeat(32);

describe('toMetadata', () => {
  it('keeps KV metadata within 1 KiB, shortening the standfirst if it must', () => {
    const long = { ...TEST_ARTICLE, standfirst: 'word '.repeat(400).trim(), image: { src: '/media/x.svg', alt: 'alt '.repeat(100) } };
    const metadata = toMetadata(long, HASH);
    expect(new TextEncoder().encode(JSON.stringify(metadata)).byteLength).toBeLessThanOrEqual(1024);
    expect(metadata.title).toBe(TEST_ARTICLE.title);
    expect(metadata.standfirst).toMatch(/…$/);
  });
});

describe('entryFromMetadata', () => {
  it('reads back what toMetadata wrote', () => {
    const article = { ...TEST_ARTICLE, updated: '2026-06-02', section: 'world', image: { src: '/media/x.svg', alt: 'Alt' } };
    expect(entryFromMetadata('a/b', toMetadata(article, HASH))).toEqual({
      slug: 'a/b', title: TEST_ARTICLE.title, date: TEST_ARTICLE.date, updated: '2026-06-02', draft: false, hash: HASH,
      standfirst: TEST_ARTICLE.standfirst, section: 'world', image: { src: '/media/x.svg', alt: 'Alt' },
    });
  });

  it('leaves out optional fields that are missing, and a malformed image', () => {
    const entry = entryFromMetadata('x', { v: 1, title: 'T', date: '2026-01-01', hash: HASH, image: { src: 5 } });
    expect(entry).toEqual({ slug: 'x', title: 'T', date: '2026-01-01', draft: false, hash: HASH });
  });

  it('refuses metadata another version of the publisher wrote, or anything malformed, so the file is read instead', () => {
    const good = { v: 1, title: 'T', date: '2026-01-01', hash: HASH };
    for (const bad of [
      null, undefined, 'text', 42, [], {},
      { ...good, v: 2 }, { ...good, title: 3 }, { ...good, date: 'yesterday' }, { ...good, hash: 'not-hex' },
      { ...good, hash: 'abc' }, { ...good, updated: 5 }, { ...good, standfirst: false }, { ...good, section: [] },
      { ...good, draft: 'yes' },
    ]) {
      expect(entryFromMetadata('x', bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
