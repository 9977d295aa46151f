import { describe, expect, it } from 'vitest';
import { isValidIsoDate, parseArticle, splitFrontMatter } from '../../../src/content/article.ts';
import { isValidSlug } from '../../../src/content/slug.ts';
import {  } from '../support/helpers.ts';

const valid = `---
title: A title
date: 2026-11-20T08:30:00Z
updated: 2026-11-21
standfirst: Summary.
authors:
  - Jo
  - name: Sam
    url: https://example.com/sam
section: world
tags: [a, b, a]
image:
  src: /media/x.svg
  alt: Alt
  caption: Cap
  credit: Cred
language: pt-BR
draft: false
---

Body.
`;

function problems(source: string): string[] {
  const result = parseArticle(source, 'slug');
  return result.ok ? result.warnings.map((p) => `${p.line}: warning: ${p.message}`) : result.problems.map((p) => `${p.line}: ${p.message}`);
}

describe('parseArticle', () => {
  it('reads every front-matter field', () => {
    const result = parseArticle(valid, 'world/x');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { article } = result;
    expect(article).toMatchObject({
      slug: 'world/x', title: 'A title', date: '2026-11-20T08:30:00Z', updated: '2026-11-21',
      standfirst: 'Summary.', section: 'world', tags: ['a', 'b'], language: 'pt-BR', draft: false,
      authors: [{ name: 'Jo' }, { name: 'Sam', url: 'https://example.com/sam' }],
      image: { src: '/media/x.svg', alt: 'Alt', caption: 'Cap', credit: 'Cred' },
    });
    expect(article.body.trim()).toBe('Body.');
    expect(article.bodyLine).toBe(20);
  });

  it('uses a slug field over the file name', () => {
    const result = parseArticle(valid.replace('draft: false', 'slug: other/place'), 'file-name');
    expect(result.ok && result.article.slug).toBe('other/place');
  });

  it('reports missing required fields', () => {
    expect(problems('---\nstandfirst: x\n---\nBody')).toEqual(['2: title is required', '2: date is required']);
  });

  it('reports bad values at their line', () => {
    const source = valid
      .replace('date: 2026-11-20T08:30:00Z', 'date: 20/11/2026')
      .replace('section: world', 'section: World News')
      .replace('  alt: Alt\n', '')
      .replace('draft: false', 'draft: maybe');
    expect(problems(source)).toEqual([
      '3: date must be an ISO 8601 date such as 2026-11-20 or 2026-11-20T08:30:00Z (a time needs a zone), got "20/11/2026"',
      '10: section must be lower-case words joined by hyphens, such as "world" or "arts-and-culture", got "World News"',
      '12: image.alt is required: describe the picture for readers who cannot see it',
      '17: draft must be true or false',
    ]);
  });

  it('refuses unsafe URLs in front matter', () => {
    const source = valid.replace('/media/x.svg', 'javascript:alert(1)').replace('https://example.com/sam', 'javascript:alert(1)');
    expect(problems(source)).toEqual([
      '9: authors.1.url must be an http(s) URL',
      '13: image.src must be an http(s) or relative URL',
    ]);
  });

  it('refuses updated earlier than date', () => {
    expect(problems(valid.replace('updated: 2026-11-21', 'updated: 2026-11-01'))[0]).toMatch(/^4: updated .* is earlier than date/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problems('---\ntitle: ok\ndate: [unclosed\n---\nBody')[0]).toMatch(/^\d: front matter: /);
    expect(problems('---\ntitle: a\ntitle: b\ndate: 2026-01-01\n---\nBody')[0]).toMatch(/^3: front matter: .*unique/i);
  });

  it('needs front matter and a body', () => {
    expect(problems('# Just markdown')).toEqual(["1: file must start with YAML front matter: a '---' line, the fields, then a closing '---' line"]);
    expect(problems('---\ntitle: t\ndate: 2026-01-01\n---\n\n')).toEqual(['5: the article has no body after the front matter']);
    expect(problems('---\n- a list\n---\nBody')).toEqual(['2: front matter must be a mapping of fields, such as "title: ..."']);
  });

  it('stops alias bombs', () => {
    const bomb = '---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n' +
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ntitle: t\ndate: 2026-01-01\n---\nBody';
    expect(problems(bomb)[0]).toMatch(/alias/i);
  });

  it('refuses control characters and oversize files', () => {
    expect(problems(valid.replace('A title', 'A\u0007title'))[0]).toMatch(/^2: title contains a control/);
    expect(problems(valid + 'x'.repeat(1024 * 1024))[0]).toMatch(/^1: file is \d+ bytes; the limit is 1048576/);
  });

  it('warns about unknown fields without failing', () => {
    expect(problems(valid.replace('draft: false', 'standfrist: typo'))).toEqual([
      expect.stringMatching(/^18: warning: unknown field "standfrist"/),
    ]);
  });

  it('quotes-hint numbers given as titles', () => {
    expect(problems('---\ntitle: 2026\ndate: 2026-01-01\n---\nBody')).toEqual(['2: title must be text (put it in quotes)']);
  });

  it('accepts CRLF files and a byte-order mark', () => {
    expect(parseArticle('\ufeff---\r\ntitle: t\r\ndate: 2026-01-01\r\n---\r\nBody\r\n', 's').ok).toBe(true);
  });
});

describe('dates', () => {
  it('accepts ISO dates and zoned date-times only', () => {
    for (const ok of ['2026-11-20', '2026-11-20T08:30Z', '2026-11-20T08:30:00+01:00', '2026-11-20T08:30:00.123Z', '2024-02-29']) {
      expect(isValidIsoDate(ok), ok).toBe(true);
    }
    for (const bad of ['2026-11-20T08:30:00', '2026-13-01', '2026-02-30', '2025-02-29', '20-11-2026', 'yesterday', '2026-11-20T25:00Z']) {
      expect(isValidIsoDate(bad), bad).toBe(false);
    }
  });
});

describe('slugs', () => {
  it('follow the design pattern', () => {
    for (const ok of ['a', 'a-b', 'world/americas/portrait-gift', '2026/x1']) expect(isValidSlug(ok), ok).toBe(true);
    for (const bad of ['', 'A', 'a--b', '-a', 'a-', 'a/', '/a', 'a//b', 'a/../b', '..', 'a_b', 'a.b', 'café', 'a%2fb', 'a b', 'x'.repeat(201)]) {
      expect(isValidSlug(bad), bad).toBe(false);
    }
  });

  it('keep out of the prefixes KV uses for images and configuration', () => {
    for (const reserved of ['media', 'media/harbour', 'config/banners', 'config']) expect(isValidSlug(reserved), reserved).toBe(false);
    for (const fine of ['mediation/talks', 'world/media', 'configure']) expect(isValidSlug(fine), fine).toBe(true);
    const result = parseArticle(valid.replace('draft: false', 'slug: config/banners'), 'file-name');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]!.message).toContain('"config/", which is kept for site configuration');
  });
});

describe('splitFrontMatter', () => {
  it('accepts "..." as the closing line and an empty front matter', () => {
    expect(splitFrontMatter('---\ntitle: t\n...\nBody')).toEqual({ yaml: 'title: t\n', body: 'Body', bodyLine: 4 });
    expect(splitFrontMatter('---\n---\nBody')).toEqual({ yaml: '', body: 'Body', bodyLine: 3 });
    expect(splitFrontMatter('---\ntitle: t\nno end')).toBeNull();
  });
});
