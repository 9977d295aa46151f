// Ways to find an article besides the front page: topic (tag) and author
// pages, section and topic feeds, and full-text search, all answered from the
// D1 index. Search must never hand reader input to FTS5 as syntax, and a
// snippet can never carry markup from the article.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_TERMS, searchQuery } from '../../../src/listing/search.ts';
import { highlight } from '../../../src/views/search-page.ts';
import { findUnsafe } from '../support/safe-html.ts';
import { articleFile, fetchApp, page, seedArticle, titles } from '../support/helpers.ts';

beforeAll(async () => {
  await seedArticle('local/ferry', articleFile(`
title: The harbour ferry returns
date: 2026-11-20T08:00:00Z
standfirst: After eleven years on the slipway, the boat is back.
section: local
tags: [transport, Harbour Life]
authors:
  - Isla Penrose
  - name: Ruth Okafor
    url: https://ruth.example/about
`, 'The first crossing left at seven. A café on the quay stayed open late.\n\nRaw <script>alert(1)</script> ferry timetable, as typed.\n'));
  await seedArticle('world/crossing', articleFile(`
title: Crossing the strait by night
date: 2026-11-21T08:00:00Z
section: world
tags: [transport]
authors: [Ruth Okafor]
`, 'The night ferry is slower but cheaper, and the cafe serves soup.\n'));
  await seedArticle('culture/quay', articleFile(`
title: Painters on the quay
date: 2026-11-22T08:00:00Z
section: culture
authors: [José Núñez]
`, 'An exhibition about the ferry, among other things. [Link](https://example.com/ferry-gallery)\n'));
  await seedArticle('desk/hidden', articleFile(`
title: A ferry draft
date: 2026-11-23T08:00:00Z
tags: [transport]
authors: [Ruth Okafor]
draft: true
`, 'Ferry draft text.\n'));
  await seedArticle('desk/later', articleFile(`
title: A ferry story for next year
date: 2099-01-01T06:00:00Z
tags: [transport]
authors: [Ruth Okafor]
`, 'Ferry text from the future.\n'));
});

describe('topic pages', () => {
  it('list a tag\'s articles newest first, under the tag as written, with its feed announced', async () => {
    const res = await fetchApp('/tags/transport');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(titles(html)).toEqual(['Crossing the strait by night', 'The harbour ferry returns']);
    expect(html).toContain('<p class="kicker">Topic</p>\n<h1 class="page-title">transport</h1>');
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Broadsheet: transport" href="/tags/transport/feed.xml">');
    expect(html).toContain('<link rel="canonical" href="https://news.test/tags/transport">');
    expect(findUnsafe(html, { page: true })).toEqual([]);
    expect((await page('/tags/harbour-life'))).toContain('<h1 class="page-title">Harbour Life</h1>');
  });

  it('carry the caching contract, with the tag as a purge tag', async () => {
    const res = await fetchApp('/tags/transport');
    expect(res.headers.get('Cache-Tag')).toBe('index,tag:transport');
    expect(res.headers.get('Surrogate-Key')).toBe('index tag:transport');
    expect(res.headers.get('CDN-Cache-Control')).toMatch(/^max-age=\d+, stale-while-revalidate=\d+, stale-if-error=\d+$/);
    expect(res.headers.get('Last-Modified')).toBeTruthy();
    expect(res.headers.get('Vary')).toBeNull();
    const again = await fetchApp('/tags/transport', { headers: { 'If-None-Match': res.headers.get('ETag')! } });
    expect(again.status).toBe(304);
  });

  it('are 404s for an unknown or malformed tag', async () => {
    for (const path of ['/tags/nothing-like-this', '/tags/Transport', '/tags/a%20b', '/tags/transport?page=2']) {
      expect((await fetchApp(path)).status, path).toBe(404);
    }
  });
});

describe('author pages', () => {
  it('list an author\'s articles, link their own page with rel="me", and are linked from bylines', async () => {
    const html = await page('/authors/ruth-okafor');
    expect(titles(html)).toEqual(['Crossing the strait by night', 'The harbour ferry returns']);
    expect(html).toContain('<p class="kicker">Author</p>\n<h1 class="page-title">Ruth Okafor</h1>');
    expect(html).toContain('<a rel="me" href="https://ruth.example/about">');
    expect(await page('/articles/local/ferry')).toContain('<a rel="author" href="/authors/ruth-okafor">Ruth Okafor</a>');
    expect(await page('/authors/isla-penrose')).not.toContain('rel="me"');
  });

  it('fold accents into a stable address', async () => {
    expect(await page('/articles/culture/quay')).toContain('<a rel="author" href="/authors/jose-nunez">José Núñez</a>');
    expect(await page('/authors/jose-nunez')).toContain('<h1 class="page-title">José Núñez</h1>');
  });

  it('are 404s for an author with no published article', async () => {
    expect((await fetchApp('/authors/nobody-at-all')).status).toBe(404);
    expect((await fetchApp('/authors/Ruth-Okafor')).status).toBe(404);
  });
});

describe('section and topic feeds', () => {
  const parser = new XMLParser({ ignoreAttributes: false });

  for (const [path, expected, self] of [
    ['/sections/local/feed.xml', ['The harbour ferry returns'], 'https://news.test/sections/local/feed.xml'],
    ['/tags/transport/feed.xml', ['Crossing the strait by night', 'The harbour ferry returns'], 'https://news.test/tags/transport/feed.xml'],
    ['/authors/ruth-okafor/feed.xml', ['Crossing the strait by night', 'The harbour ferry returns'], 'https://news.test/authors/ruth-okafor/feed.xml'],
  ] as const) {
    it(`${path} is valid Atom of that list only`, async () => {
      const res = await fetchApp(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const feed = parser.parse(xml).feed;
      const entries = [feed.entry].flat().filter(Boolean);
      expect(entries.map((e: { title: string }) => e.title)).toEqual(expected);
      expect([feed.link].flat().find((l: Record<string, string>) => l['@_rel'] === 'self')['@_href']).toBe(self);
      // A tag: URI from the path, whatever host the feed was fetched by.
      expect(feed.id).toBe(`tag:broadsheet.invalid,2026:${new URL(self).pathname}`);
      expect(res.headers.get('Cache-Tag')).toContain('feed');
    });
  }

  it('are announced on their pages, and 404 for an empty list', async () => {
    expect(await page('/sections/local')).toContain('href="/sections/local/feed.xml"');
    expect((await fetchApp('/tags/nothing-like-this/feed.xml')).status).toBe(404);
    expect((await fetchApp('/sections/empty/feed.xml')).status).toBe(404);
  });
});

describe('search', () => {
  it('finds words in bodies, ranks a title match first, and highlights the words', async () => {
    const html = await page('/search?q=ferry');
    const found = titles(html);
    // The one with the word in its title first; bm25 orders the others by how much of each body it is.
    expect(found[0]).toBe('The harbour ferry returns');
    expect(found.slice(1).sort()).toEqual(['Crossing the strait by night', 'Painters on the quay']);
    expect(html).toContain('<p class="search-count" role="status">3 results</p>');
    expect(html).toContain('<mark>ferry</mark>');
    expect(html).toContain('<meta name="robots" content="noindex, follow">');
    expect(findUnsafe(html, { page: true })).toEqual([]);
  });

  it('folds diacritics both ways', async () => {
    expect(titles(await page('/search?q=cafe')).sort()).toEqual(['Crossing the strait by night', 'The harbour ferry returns']);
    expect(titles(await page('/search?q=caf%C3%A9')).sort()).toEqual(['Crossing the strait by night', 'The harbour ferry returns']);
  });

  it('shows markup typed in an article as text in its snippet', async () => {
    const html = await page('/search?q=timetable');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; ferry <mark>timetable</mark>');
    expect(findUnsafe(html, { page: true })).toEqual([]);
  });

  it('never finds drafts, scheduled articles, link targets or markdown syntax', async () => {
    expect(titles(await page('/search?q=draft'))).toEqual([]);
    expect(titles(await page('/search?q=future'))).toEqual([]);
    expect(titles(await page('/search?q=gallery'))).toEqual([]); // only in a link's URL
    expect(titles(await page('/search?q=https'))).toEqual([]);
  });

  it('varies only by the normalised query and page', async () => {
    const plain = await fetchApp('/search?q=ferry+crossing');
    for (const variant of ['/search?q=Ferry%20Crossing', '/search?q=%20ferry%20%20crossing%20', '/search?q=ferry+crossing&utm_source=x', '/search?utm_medium=y&q=FERRY+CROSSING']) {
      const res = await fetchApp(variant);
      expect(res.headers.get('ETag'), variant).toBe(plain.headers.get('ETag'));
      expect(await res.text(), variant).toBe(await plain.clone().text());
    }
    expect((await fetchApp('/search?q=ferry')).headers.get('ETag')).not.toBe(plain.headers.get('ETag'));
    expect(plain.headers.get('Vary')).toBeNull();
    expect(plain.headers.get('Cache-Control')).toMatch(/^public, max-age=60,/);
    expect(plain.headers.get('CDN-Cache-Control')).toMatch(/^max-age=60,/);
    expect((await fetchApp('/search?q=ferry+crossing', { headers: { 'If-None-Match': plain.headers.get('ETag')! } })).status).toBe(304);
  });

  it('pages its results', async () => {
    const bindings = { INDEX_PAGE_SIZE: '2' };
    const first = await (await fetchApp('/search?q=ferry', { bindings })).text();
    expect(titles(first)).toHaveLength(2);
    expect(first).toContain('<a rel="next" href="/search?q=ferry&amp;page=2">');
    const second = await fetchApp('/search?q=ferry&page=2', { bindings });
    const rest = titles(await second.text());
    expect(rest).toHaveLength(1);
    expect([...titles(first), ...rest].sort()).toEqual(['Crossing the strait by night', 'Painters on the quay', 'The harbour ferry returns']);
    expect((await fetchApp('/search?q=ferry&page=3', { bindings })).status).toBe(404);
  });

  it('has a labelled GET form in every page\'s masthead', async () => {
    for (const path of ['/', '/articles/local/ferry', '/tags/transport', '/search?q=ferry', '/nowhere']) {
      const html = await (await fetchApp(path)).text();
      expect(html, path).toContain('<form class="site-search" role="search" action="/search" method="get">');
      expect(html, path).toContain('<label for="site-search-q" class="visually-hidden">Search articles</label>');
    }
    expect(await page('/search?q=ferry')).toContain('<input id="site-search-q" type="search" name="q" value="ferry"');
  });
});

describe('hostile queries', () => {
  const queries: Record<string, string> = {
    'a lone quote': '"',
    'a star': '*',
    'a prefix query': 'a*',
    'a prefix query on a common word': 'ferry*',
    NEAR: 'NEAR(a b)',
    'a column filter': 'title:x',
    'AND, OR and NOT': 'ferry AND cafe OR NOT x',
    'an initial-token query': '^ferry',
    'unbalanced parentheses': '((ferry',
    'a closing parenthesis': ')',
    'braces and a minus': '{title body} : -ferry',
    'an empty query': '',
    'spaces only': '    ',
    '10 KB of text': 'ferry '.repeat(1700),
    'control characters': 'ferry\u0001\u0007\u001b[31m',
    'NUL': 'a\u0000b',
    emoji: '🚢⛴️🌊',
    'right-to-left scripts': 'מעבורת عبارة',
    'SQL': "'; DROP TABLE articles; --",
    'markup': '<script>alert(1)</script>',
    'a lone combining mark': '\u0301',
  };
  for (const [name, q] of Object.entries(queries)) {
    it(`${name}: a clear page, never an error`, async () => {
      const res = await fetchApp(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(findUnsafe(html, { page: true })).toEqual([]);
      expect(html).not.toMatch(/fts5|syntax error|SQLITE/i);
      expect(html).toMatch(/results? for|Searches look for words|Type a word or two/);
    });
  }

  it('are quoted into plain terms, capped in number and length', () => {
    for (const q of Object.values(queries)) {
      const { match } = searchQuery(q);
      if (match !== null) expect(match, q).toMatch(/^"[\p{L}\p{N}\p{M}]+"(?: "[\p{L}\p{N}\p{M}]+")*$/u);
    }
    expect(searchQuery('NEAR(a b) title:x').match).toBe('"near" "a" "b" "title" "x"');
    expect(searchQuery('a*').match).toBe('"a"');
    expect(searchQuery(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ')).normalised.split(' ')).toHaveLength(MAX_TERMS);
    expect(searchQuery('x'.repeat(500)).normalised).toHaveLength(40);
    expect(searchQuery('"').match).toBeNull();
  });

  it('snippet markers become <mark> and nothing else does', () => {
    expect(highlight('a <b>\u0002ferry\u0003 & c')).toBe('a &lt;b&gt;<mark>ferry</mark> &amp; c');
    expect(highlight('\u0003\u0002open')).toBe('<mark>open</mark>');
  });
});
