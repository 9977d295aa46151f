// No editor-written text and no request value can run script in a reader's
// browser: an XSS corpus and property tests over the renderer, the page, the
// feed, the sitemap and the JSON API, all inside workerd.
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../../src/content/article.ts';
import { renderFeed, renderNewsSitemap } from '../../../src/views/feeds.ts';
import { prepareBody } from '../../../src/content/markdown.ts';
import { BANNER_SLOT, renderArticlePage } from '../../../src/views/article-page.ts';
import { findUnsafe } from '../support/safe-html.ts';
import { FRONT_MATTER_XSS, MARKDOWN_XSS } from '../support/xss-corpus.ts';
import { TEST_SITE as site, articleFile, fetchApp, renderMarkdown, seedArticle } from '../support/helpers.ts';


describe(`the XSS corpus (${MARKDOWN_XSS.length} markdown payloads)`, () => {
  for (const payload of MARKDOWN_XSS) {
    it(`renders inert: ${JSON.stringify(payload).slice(0, 70)}`, () => {
      expect(findUnsafe(renderMarkdown(payload))).toEqual([]);
      // The fallback for bodies too dense to tokenise: the payload in a body the guard refuses.
      const plain = prepareBody(`${payload}\n\n${'_a'.repeat(1001)}`);
      expect(plain.degraded).not.toBeNull();
      expect(findUnsafe(plain.render())).toEqual([]);
    });
  }

  it('the checker itself catches what it must', () => {
    expect(findUnsafe('<p><a href="javascript:alert(1)">x</a></p>')).not.toEqual([]);
    expect(findUnsafe('<img src=x onerror=alert(1)>')).not.toEqual([]);
    expect(findUnsafe('<p>x</div>')).not.toEqual([]);
    expect(findUnsafe('<script>alert(1)</script>')).not.toEqual([]);
    expect(findUnsafe('<a href="&#106;avascript:x">x</a>')).not.toEqual([]);
    expect(findUnsafe('<p>fine <a href="https://ok.test">link</a></p>')).toEqual([]);
  });
});

/** Published an hour ago, so the article is in the news sitemap too. */
const RECENT = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');

/** An article whose every free-text field holds `value`, as YAML double-quoted strings. */
function hostileArticle(value: string): string {
  const q = JSON.stringify(value);
  return articleFile(`
title: ${q}
date: ${RECENT}
standfirst: ${q}
authors:
  - name: ${q}
    url: https://example.com/a
section: world
tags: [${q}]
image:
  src: /media/x.svg
  alt: ${q}
  caption: ${q}
  credit: ${q}
`, `Body with ${value.replace(/\n/g, ' ')}\n`);
}

describe(`front-matter injections (${FRONT_MATTER_XSS.length} values, every context)`, () => {
  FRONT_MATTER_XSS.forEach((value, n) => {
    it(`keeps ${JSON.stringify(value)} inert in the page, feed, sitemaps and JSON`, async () => {
      const slug = `xss/case-${n}`;
      await seedArticle(slug, hostileArticle(value));
      const page = await (await fetchApp(`/articles/${slug}`)).text();
      expect(findUnsafe(page, { page: true })).toEqual([]);
      const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!);
      // Front matter is trimmed (JavaScript's trim includes U+2028 and U+2029).
      expect(jsonLd.headline).toBe(value.trim());
      expect(jsonLd.author[0].name).toBe(value.trim());

      const api = await (await fetchApp(`/api/articles/${slug}`)).json<{ title: string; image: { caption: string } }>();
      expect(api.title).toBe(value.trim());
      expect(api.image.caption).toBe(value.trim());

      const month = `/sitemaps/articles-${RECENT.slice(0, 7)}.xml`;
      for (const path of ['/feed.xml', '/sitemap.xml', month, '/sitemaps/news.xml']) {
        const xml = await (await fetchApp(path)).text();
        expect(XMLValidator.validate(xml), path).toBe(true);
        if (path !== '/sitemap.xml') expect(xml, path).toContain(`/articles/${slug}<`);
        expect(xml, path).not.toMatch(/<script/i);
      }
      expect(findUnsafe(await (await fetchApp('/')).text(), { page: true })).toEqual([]);
    });
  });
});

// Fragments that matter to HTML, markdown and URL parsers, so random
// combinations explore the interesting corners rather than plain letters.
const fragment = fc.constantFrom(
  '<', '>', '"', "'", '&', '&#', '&#x', ';', '=', '/', '\\', '`', '*', '_', '~', '#', '|', '!', ':',
  '[', ']', '(', ')', '![', '](', ' "', '\n', '\n\n', ' ', '\t', '- ', '1. ', '> ', '    ', '```',
  'javascript:', 'JaVaScRiPt:', 'vbscript:', 'data:text/html,', 'java\tscript:', '&#106;', '&colon;',
  'http://x.test', 'mailto:a@b.c', 'www.x.test', '<script>', '</script>', '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>', 'onerror=', 'onclick="', '<a href="', '<!--', '-->', '</p>', '</div>',
  '\u0000', '\u2028', '\u00a0', 'a', 'b', 'x y',
);
const hostileMarkdown = fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join(''));

describe('property: any markdown renders inert', () => {
  it('for combinations of dangerous fragments', () => {
    fc.assert(fc.property(hostileMarkdown, (md) => {
      expect(findUnsafe(renderMarkdown(md))).toEqual([]);
    }), { numRuns: 1000 });
  });

  it('for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (md) => {
      expect(findUnsafe(renderMarkdown(md))).toEqual([]);
    }), { numRuns: 500 });
  });
});

describe('property: any front-matter text stays inert', () => {
  // Hostile fragments, any printable text, and any code points at all (whose
  // control characters the parser refuses, so they are a third of the mix).
  // Empty values are refused too, and tested with the parser.
  const text = fc.oneof(
    hostileMarkdown,
    fc.string({ minLength: 1, maxLength: 80, unit: 'grapheme' }),
    fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }),
  );

  it('in the page, its JSON-LD, the feed and the news sitemap', () => {
    let rendered = 0;
    fc.assert(fc.property(text, text, (title, caption) => {
      const source = articleFile(
        `title: ${JSON.stringify(title)}\ndate: 2026-01-01\nstandfirst: ${JSON.stringify(caption)}\n` +
        `image:\n  src: /m.svg\n  alt: ${JSON.stringify(caption)}\n  caption: ${JSON.stringify(caption)}`,
      );
      const parsed = parseArticle(source, 'p/x');
      if (!parsed.ok) return; // refused at parse (control characters, empty title): never rendered
      const page = renderArticlePage({ site, article: parsed.article, bodyHtml: '<p>b</p>', wordCount: 1 }).replace(BANNER_SLOT, '');
      expect(findUnsafe(page, { page: true })).toEqual([]);
      const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page)![1]!);
      expect(jsonLd.headline).toBe(parsed.article.title);
      const entry = { slug: 'p/x', title: parsed.article.title, standfirst: parsed.article.standfirst, date: '2026-01-01', language: 'en', hash: 'a'.repeat(32) };
      expect(XMLValidator.validate(renderFeed(site, [entry]))).toBe(true);
      expect(XMLValidator.validate(renderNewsSitemap(site, [{ ...entry, language: 'en' }]))).toBe(true);
      rendered++;
    }), { numRuns: 400 });
    // Values the parser refuses prove nothing about the templates: about 77% of
    // runs reach them; fewer than 65% means the generator or the parser changed.
    expect(rendered, `${rendered} of 400 runs rendered`).toBeGreaterThanOrEqual(260);
  });
});
