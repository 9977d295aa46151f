/**
 * Articles over their lifetime, through the worker with local KV and D1:
 * updates and corrections shown (and in the JSON-LD, parsed), `/corrections`
 * and its feed, moved slugs answered 301 in one hop from the index, and
 * takedowns answered 410.
 */
import { env, exports } from 'cloudflare:workers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexDb } from '../../../src/storage/index-db.ts';
import { removeSlugsStatements } from '../../../src/storage/index-sql.ts';
import { articleFile, fetchApp, nextRevision, page, seedArticle, waitForIndexed } from '../support/helpers.ts';

const CORRECTED = articleFile(`
title: Bridge to close for repairs
date: 2026-11-20T07:00:00Z
updated: 2026-11-21T15:45:00Z
section: local
authors: [Jonah Pike, Ruth Okafor]
corrections:
  - date: 2026-11-21T15:45:00Z
    text: We gave the wrong firm; it is *Harrow Structures*, as [their notice](https://example.com/notice) says.
  - date: 2026-11-20T12:00:00Z
    text: The closure starts on 5 January, not 5 December.
`, 'The bridge will close for eight weeks.\n\n## Corrections\n\nA heading with the same words as the box.\n');

/** Removes slugs as `npm run unpublish` does, a takedown when `reason` is given (null: no reason). */
async function unpublish(slugs: string[], takedown?: { reason: string | null }): Promise<void> {
  for (const slug of slugs) await env.ARTICLES.delete(slug);
  await indexDb(env.INDEX, 5000).write(removeSlugsStatements(slugs, { writer: 'editor', trustMs: 0 }, await nextRevision(), takedown ?? null));
}

function jsonLd(html: string): Record<string, unknown> {
  return JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
}

beforeAll(async () => {
  await seedArticle('local/bridge', CORRECTED);
  await seedArticle('local/plain', articleFile('title: Plain\ndate: 2026-11-19T08:00:00Z\nsection: local'));
});

describe('updates and corrections', () => {
  it('shows Updated beside the date, in the site time zone, and in dateModified', async () => {
    const html = await page('/articles/local/bridge');
    expect(html).toContain('<span class="updated">Updated <time datetime="2026-11-21T15:45:00Z">21 November 2026 at 15:45 UTC</time></span>');
    expect(jsonLd(html).dateModified).toBe('2026-11-21T15:45:00Z');
  });

  it('shows the corrections oldest first in a labelled, dated box, with their links and emphasis made safe', async () => {
    const html = await page('/articles/local/bridge');
    const box = /<aside class="corrections" id="corrections" aria-labelledby="corrections-heading">([\s\S]*?)<\/aside>/.exec(html)?.[1];
    expect(box).toBeDefined();
    expect(box).toContain('<h2 id="corrections-heading">Corrections</h2>');
    const items = [...box!.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    expect(items).toHaveLength(2);
    expect(items[0]).toContain('<time datetime="2026-11-20T12:00:00Z">20 November 2026 at 12:00 UTC</time>');
    expect(items[0]).toContain('The closure starts on 5 January, not 5 December.');
    expect(items[1]).toContain('<em>Harrow Structures</em>, as <a href="https://example.com/notice">their notice</a> says.');
    // A notice by the dateline leads to the box; the body's own heading did not take its id.
    expect(html).toContain('<p class="corrected-notice"><a href="#corrections">This article has been corrected</a></p>');
    expect(html.match(/id="corrections"/g)).toHaveLength(1);
  });

  it('lists the corrections in the JSON-LD as schema.org CorrectionComments', async () => {
    const ld = jsonLd(await page('/articles/local/bridge'));
    expect(ld.correction).toEqual([
      { '@type': 'CorrectionComment', datePublished: '2026-11-20T12:00:00Z', text: 'The closure starts on 5 January, not 5 December.' },
      { '@type': 'CorrectionComment', datePublished: '2026-11-21T15:45:00Z', text: 'We gave the wrong firm; it is Harrow Structures, as their notice says.' },
    ]);
    const plain = jsonLd(await page('/articles/local/plain'));
    expect(plain).not.toHaveProperty('correction');
  });

  it('renders a plainly uploaded correction with a disallowed link or a picture safely, never as an error', async () => {
    const slug = 'local/unsafe-correction';
    await seedArticle(slug, articleFile('title: U\ndate: 2026-11-10\ncorrections:\n  - date: 2026-11-11\n    text: "[click](javascript:alert(1)) and ![a map](/media/x.png) <b>raw</b>"'), { withMetadata: false });
    const res = await fetchApp(`/articles/${slug}`);
    expect(res.status).toBe(200);
    const box = /<aside class="corrections"[\s\S]*?<\/aside>/.exec(await res.text())![0];
    expect(box).toContain('<p>click and a map &lt;b&gt;raw&lt;/b&gt;</p>');
    expect(box).not.toMatch(/<img|<a |javascript/);
  });

  it('gives the JSON API the corrections too', async () => {
    const json = await (await fetchApp('/api/articles/local/bridge')).json<{ corrections: { date: string; html: string }[] }>();
    expect(json.corrections.map((c) => c.date)).toEqual(['2026-11-20T12:00:00Z', '2026-11-21T15:45:00Z']);
    expect(json.corrections[1]!.html).toContain('<a href="https://example.com/notice">');
  });

  it('changes the ETag when a correction is added', async () => {
    const slug = 'local/etag-correction';
    const before = articleFile('title: T\ndate: 2026-11-10T08:00:00Z');
    await seedArticle(slug, before);
    const first = await fetchApp(`/articles/${slug}`);
    const etag = first.headers.get('ETag')!;
    await seedArticle(slug, articleFile('title: T\ndate: 2026-11-10T08:00:00Z\ncorrections:\n  - date: 2026-11-11\n    text: A name was misspelt.'));
    const second = await fetchApp(`/articles/${slug}`, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(200);
    expect(second.headers.get('ETag')).not.toBe(etag);
    expect(await second.text()).toContain('A name was misspelt.');
    // The purge tags it carries are the article's: publishing it purged them.
    expect(second.headers.get('Cache-Tag')).toContain(`article:${slug}`);
  });
});

describe('/corrections', () => {
  const parser = new XMLParser({ ignoreAttributes: false });

  it('lists corrections across the site, newest first, each linking to its box', async () => {
    const html = await page('/corrections');
    const linked = [...html.matchAll(/<a href="\/articles\/([^"#]+)#corrections"/g)].map((m) => m[1]);
    // The bridge's two (newest first) come before the older one of the ETag test's article, if it ran first.
    expect(linked.filter((s) => s === 'local/bridge')).toHaveLength(2);
    const times = [...html.matchAll(/<li class="correction-item">[\s\S]*?<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]!));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(html).toContain('<h1 class="page-title">Corrections</h1>');
    const res = await fetchApp('/corrections');
    expect(res.headers.get('Cache-Tag')).toBe('index,corrections');
    expect(res.headers.get('ETag')).toMatch(/^"/);
  });

  it('paginates, and a page past the end is a 404', async () => {
    for (let i = 0; i < 3; i++) {
      await seedArticle(`local/paged-${i}`, articleFile(`title: Paged ${i}\ndate: 2026-10-0${i + 1}T08:00:00Z\ncorrections:\n  - date: 2026-10-0${i + 2}\n    text: Correction number ${i}.`));
    }
    const small = { ...env, INDEX_PAGE_SIZE: '2' };
    const first = await fetchApp('/corrections', { bindings: small });
    const body = await first.text();
    expect(body.match(/<li class="correction-item">/g)).toHaveLength(2);
    expect(body).toContain('<a rel="next" href="/corrections?page=2">');
    const second = await fetchApp('/corrections?page=2', { bindings: small });
    expect(second.status).toBe(200);
    expect((await fetchApp('/corrections?page=99', { bindings: small })).status).toBe(404);
    expect((await fetchApp('/corrections?page=0')).status).toBe(404);
  });

  it('leaves out drafts and scheduled articles', async () => {
    await seedArticle('local/draft-corrected', articleFile('title: Draft\ndate: 2026-11-01\ndraft: true\ncorrections:\n  - date: 2026-11-02\n    text: Draft correction text.'));
    await seedArticle('local/later-corrected', articleFile('title: Later\ndate: 2099-01-01\ncorrections:\n  - date: 2099-01-02\n    text: Future correction text.'));
    const html = await page('/corrections');
    expect(html).not.toContain('Draft correction text.');
    expect(html).not.toContain('Future correction text.');
  });

  it('has its own Atom feed: one entry per correction, with tag: ids and each entry in its article language', async () => {
    const res = await fetchApp('/corrections/feed.xml');
    expect(res.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const feed = parser.parse(xml).feed;
    const entries = [feed.entry].flat();
    const bridge = entries.filter((e: { link: Record<string, string> }) => e.link['@_href'] === 'https://news.test/articles/local/bridge#corrections');
    expect(bridge.map((e: { id: string }) => e.id).sort()).toEqual([
      'tag:broadsheet.invalid,2026:/articles/local/bridge/corrections/1',
      'tag:broadsheet.invalid,2026:/articles/local/bridge/corrections/2',
    ]);
    expect(bridge[0]['@_xml:lang']).toBe('en');
    expect(bridge.map((e: { title: string }) => e.title)).toEqual(['Correction: Bridge to close for repairs', 'Correction: Bridge to close for repairs']);
    // The page announces the feed.
    expect(await page('/corrections')).toContain('href="/corrections/feed.xml"');
  });
});

describe('the site feed', () => {
  it('names each entry its authors, with their pages, and its language', async () => {
    const xml = await page('/sections/local/feed.xml');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(xml).feed;
    const entry = [feed.entry].flat().find((e: { title: string }) => e.title === 'Bridge to close for repairs');
    expect(entry.author).toEqual([
      { name: 'Jonah Pike', uri: 'https://news.test/authors/jonah-pike' },
      { name: 'Ruth Okafor', uri: 'https://news.test/authors/ruth-okafor' },
    ]);
    expect(entry['@_xml:lang']).toBe('en');
  });

  it('keeps entry ids the same whatever Host the feed is fetched by', async () => {
    const feedVia = async (origin: string) => (await exports.default.fetch(new Request(`${origin}/sections/local/feed.xml`))).text();
    const ids = (xml: string) => [...xml.matchAll(/<id>([^<]+)<\/id>/g)].map((m) => m[1]);
    const [own, mirror] = [await feedVia('https://news.test'), await feedVia('https://mirror.example')];
    expect(mirror).toContain('https://mirror.example/articles/local/bridge');
    expect(ids(own).length).toBeGreaterThan(1);
    expect(ids(mirror)).toEqual(ids(own));
  });
});

describe('moved slugs', () => {
  beforeAll(async () => {
    await seedArticle('science/new-home', articleFile(`
title: A story that moved
date: 2026-11-15T08:00:00Z
image: { src: /media/photo.png, alt: A rock pool }
aliases: [science/old-home, science/older-home]
`, 'Text.\n'));
  });

  for (const [from, to] of [
    ['/articles/science/old-home', '/articles/science/new-home'],
    ['/api/articles/science/old-home', '/api/articles/science/new-home'],
    ['/gallery/science/older-home', '/gallery/science/new-home'],
  ] as const) {
    it(`answers ${from} with a cacheable 301 to ${to}, with both purge tags`, async () => {
      const res = await fetchApp(from);
      expect(res.status).toBe(301);
      expect(res.headers.get('Location')).toBe(to);
      expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
      expect(res.headers.get('CDN-Cache-Control')).toMatch(/^max-age=\d+/);
      const tags = res.headers.get('Cache-Tag')!.split(',');
      const old = from.replace(/^\/(?:api\/articles|articles|gallery)\//, '');
      expect(tags).toEqual(expect.arrayContaining([`article:${old}`, 'article:science/new-home']));
      expect(res.headers.get('Surrogate-Key')!.split(' ').sort()).toEqual([...tags].sort());
    });
  }

  it('resolves an alias from the index with no more KV reads than a 404 makes', async () => {
    const res = await fetchApp('/articles/science/old-home');
    const timing = res.headers.get('Server-Timing')!;
    expect(timing).toMatch(/kv;dur=[\d.]+;desc="1 call"/);
    expect(timing).toMatch(/d1;dur=[\d.]+;desc="1 call"/);
  });

  it('collapses a chain of moves to one hop', async () => {
    await seedArticle('world/chain-b', articleFile('title: B\ndate: 2026-11-01\naliases: [world/chain-a]'));
    expect((await fetchApp('/articles/world/chain-a')).headers.get('Location')).toBe('/articles/world/chain-b');
    // B moves to C: C lists B, and A (which B listed) now leads to C directly.
    await seedArticle('world/chain-c', articleFile('title: C\ndate: 2026-11-01\naliases: [world/chain-b]'));
    await unpublish(['world/chain-b']);
    for (const from of ['world/chain-a', 'world/chain-b']) {
      const res = await fetchApp(`/articles/${from}`);
      expect(res.status).toBe(301);
      expect(res.headers.get('Location')).toBe('/articles/world/chain-c');
    }
    expect((await fetchApp('/articles/world/chain-c')).status).toBe(200);
  });

  it('works for a plain wrangler kv key put once its row is written', async () => {
    await seedArticle('world/plain-moved', articleFile('title: Plain moved\ndate: 2026-11-01\naliases: [world/plain-was]'), { withMetadata: false });
    expect((await fetchApp('/articles/world/plain-was')).status).toBe(404);
    expect((await fetchApp('/articles/world/plain-moved')).status).toBe(200);
    await waitForIndexed('world/plain-moved');
    let res: Response | undefined;
    for (let i = 0; i < 50 && res?.status !== 301; i++) {
      res = await fetchApp('/articles/world/plain-was');
      if (res.status !== 301) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(res!.status).toBe(301);
    expect(res!.headers.get('Location')).toBe('/articles/world/plain-moved');
  });

  it('serves an article over an alias of the same slug, and drops the alias when its article drops it', async () => {
    await seedArticle('world/drops', articleFile('title: Drops\ndate: 2026-11-01\naliases: [world/dropped]'));
    expect((await fetchApp('/articles/world/dropped')).status).toBe(301);
    await seedArticle('world/drops', articleFile('title: Drops\ndate: 2026-11-01'));
    expect((await fetchApp('/articles/world/dropped')).status).toBe(404);
  });
});

describe('takedowns', () => {
  it('answers the page, gallery and JSON with 410 and the reason, briefly cached under the article tags', async () => {
    await seedArticle('local/legal', articleFile('title: Legal\ndate: 2026-11-01\nimage: { src: /media/p.png, alt: A picture }\naliases: [local/legal-old]'));
    await unpublish(['local/legal'], { reason: 'A court order <b>requires</b> it.' });
    for (const path of ['/articles/local/legal', '/gallery/local/legal', '/api/articles/local/legal', '/articles/local/legal-old']) {
      const res = await fetchApp(path);
      expect(res.status, path).toBe(410);
      expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=([1-9]|[12]\d|30)$/);
      expect(res.headers.get('Cache-Tag')!.split(',')).toContain(`article:${path.endsWith('-old') ? 'local/legal-old' : 'local/legal'}`);
      const html = await res.text();
      expect(html).toContain('<h1 class="page-title">This article has been removed</h1>');
      expect(html).toContain('<strong>The reason given:</strong> A court order &lt;b&gt;requires&lt;/b&gt; it.');
      expect(html).toContain('<meta name="robots" content="noindex">');
    }
  });

  it('says nothing of a reason when none was given', async () => {
    await seedArticle('local/taken', articleFile('title: Taken\ndate: 2026-11-01'));
    await unpublish(['local/taken'], { reason: null });
    const res = await fetchApp('/articles/local/taken');
    expect(res.status).toBe(410);
    expect(await res.text()).not.toContain('gone-reason');
  });

  it('answers 410 even where KV still holds the old file', async () => {
    await seedArticle('local/lagging', articleFile('title: Lagging\ndate: 2026-11-01'));
    await indexDb(env.INDEX, 5000).write(removeSlugsStatements(['local/lagging'], { writer: 'editor', trustMs: 0 }, await nextRevision(), { reason: null }));
    expect((await fetchApp('/articles/local/lagging')).status).toBe(410);
  });

  it('brings the article back when the slug is published again', async () => {
    await seedArticle('local/back', articleFile('title: Back\ndate: 2026-11-01'));
    await unpublish(['local/back'], { reason: 'Withdrawn' });
    expect((await fetchApp('/articles/local/back')).status).toBe(410);
    await seedArticle('local/back', articleFile('title: Back again\ndate: 2026-11-01'));
    const res = await fetchApp('/articles/local/back');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Back again');
  });

  it('keeps a 404 for a plain unpublish, and for a takedown later undone by a plain one', async () => {
    await seedArticle('local/quiet', articleFile('title: Quiet\ndate: 2026-11-01'));
    await unpublish(['local/quiet']);
    expect((await fetchApp('/articles/local/quiet')).status).toBe(404);
    await seedArticle('local/quiet', articleFile('title: Quiet\ndate: 2026-11-01'));
    await unpublish(['local/quiet'], { reason: null });
    expect((await fetchApp('/articles/local/quiet')).status).toBe(410);
    await unpublish(['local/quiet']);
    expect((await fetchApp('/articles/local/quiet')).status).toBe(404);
  });
});
