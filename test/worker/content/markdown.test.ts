import { describe, expect, it } from 'vitest';
import { safeUrl } from '../../../src/content/url.ts';
import { bodyText, renderMarkdown } from '../support/helpers.ts';

describe('figures', () => {
  it('turns an image alone in a paragraph into a figure', () => {
    const html = renderMarkdown('![A heron](/media/heron.svg)');
    expect(html).toBe('<figure><img src="/media/heron.svg" alt="A heron" loading="lazy" decoding="async"></figure>\n');
  });

  it('splits a title into caption and credit', () => {
    const html = renderMarkdown('![A heron](/media/heron.svg "A heron at dusk | Photo: Sam Lee")');
    expect(html).toContain('<figcaption>A heron at dusk <span class="credit">Photo: Sam Lee</span></figcaption>');
  });

  it('lifts a titled image out of running text without nesting a figure in a paragraph', () => {
    const html = renderMarkdown('Before ![Map](/m.svg "Route") after.');
    expect(html).toBe(
      '<p>Before</p>\n<figure><img src="/m.svg" alt="Map" loading="lazy" decoding="async"><figcaption>Route</figcaption></figure>\n<p>after.</p>\n',
    );
  });

  it('keeps an untitled image in running text inline', () => {
    expect(renderMarkdown('An icon ![x](/i.svg) here.')).toBe(
      '<p>An icon <img src="/i.svg" alt="x" loading="lazy" decoding="async"> here.</p>\n',
    );
  });

  it('escapes caption, credit and alt text', () => {
    const html = renderMarkdown('![a "b" <c>](/x.svg "<b>cap</b> | <i>cred</i>")');
    expect(html).toContain('alt="a &quot;b&quot; &lt;c&gt;"');
    expect(html).toContain('&lt;b&gt;cap&lt;/b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
  });

  it('splits a title at its last | into caption and credit', () => {
    const figure = (title: string) => renderMarkdown(`![x](/m.svg "${title}")`);
    expect(figure('Only a caption')).toContain('<figcaption>Only a caption</figcaption>');
    expect(figure('A | B | C')).toContain('<figcaption>A | B <span class="credit">C</span></figcaption>');
    expect(figure('| Credit only')).toContain('<figcaption><span class="credit">Credit only</span></figcaption>');
  });
});

describe('headings', () => {
  it('gives headings stable, unique ids and keeps h1 for the headline', () => {
    const html = renderMarkdown('# Top\n\n## Café & bar\n\n## Café & bar\n\n### Main\n');
    expect(html).toContain('<h2 id="top">Top</h2>');
    expect(html).toContain('<h2 id="cafe-bar">Café &amp; bar</h2>');
    expect(html).toContain('<h2 id="cafe-bar-2">');
    expect(html).toContain('<h3 id="main-2">Main</h3>'); // "main" is the page's own landmark id
    expect(renderMarkdown('## Café & bar')).toContain('id="cafe-bar"'); // ids restart per render
  });

  it('falls back to a generic id for headings without letters', () => {
    expect(renderMarkdown('## ???')).toContain('<h2 id="section">???</h2>');
    expect(renderMarkdown('## Ünïcödé Straße')).toContain('<h2 id="unicode-stra-e">Ünïcödé Straße</h2>');
  });
});

describe('raw HTML', () => {
  it('shows block and inline HTML as text', () => {
    const html = renderMarkdown('<div onclick="x()">hi</div>\n\nText with <img src=x onerror=alert(1)> inline.');
    expect(html).toContain('&lt;div onclick=&quot;x()&quot;&gt;hi&lt;/div&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toMatch(/<(div|img src=x)/);
  });

  it('escapes script tags in every position', () => {
    for (const md of ['<script>alert(1)</script>', 'a <script>alert(1)</script> b', '> <script>x</script>', '- <script>x</script>']) {
      expect(renderMarkdown(md), md).not.toContain('<script');
    }
  });
});

describe('URL allowlist', () => {
  it('keeps http, https, mailto and relative links', () => {
    const html = renderMarkdown('[a](https://x.test/p?q=1&r=2) [b](http://x.test) [c](mailto:e@x.test) [d](/rel) [e](#frag) [f](../up)');
    expect(html).toContain('href="https://x.test/p?q=1&amp;r=2"');
    expect(html).toContain('href="http://x.test"');
    expect(html).toContain('href="mailto:e@x.test"');
    expect(html).toContain('href="/rel"');
    expect(html).toContain('href="#frag"');
    expect(html).toContain('href="../up"');
  });

  it('drops dangerous schemes but keeps the link text', () => {
    const html = renderMarkdown('[click](javascript:alert(1)) and [data](data:text/html,<b>x</b>) and [vb](vbscript:msgbox)');
    expect(html).toBe('<p>click and data and vb</p>\n');
  });

  it('drops images with dangerous sources', () => {
    expect(renderMarkdown('![alt text](javascript:alert(1))')).not.toContain('<img');
    expect(renderMarkdown('![x](data:image/svg+xml,<svg onload=alert(1)>)')).not.toContain('<img');
  });

  it('sees through obfuscated schemes', () => {
    for (const url of [
      'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\nscript:alert(1)',
      '&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)', 'javascript&colon;alert(1)', '\u0001javascript:alert(1)',
      'jav&#x09;ascript:alert(1)', '&#0000106avascript:alert(1)', 'vbscript:x', 'data:text/html;base64,PHNjcmlwdD4=',
      'file:///etc/passwd', '\u200bjavascript:alert(1)',
    ]) {
      expect(safeUrl(url), JSON.stringify(url)).toBeNull();
    }
  });

  it('allows images only over http(s) or relative', () => {
    expect(safeUrl('mailto:x@y.z', 'image')).toBeNull();
    expect(safeUrl('https://x.test/a.png', 'image')).toBe('https://x.test/a.png');
    expect(safeUrl('/media/a.svg', 'image')).toBe('/media/a.svg');
  });
});

describe('GFM', () => {
  it('renders tables, strikethrough and autolinks', () => {
    const html = renderMarkdown('| a | b |\n|---|--:|\n| 1 | 2 |\n\n~~gone~~ www.example.com');
    expect(html).toContain('<table>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('href="http://www.example.com"');
  });
});

describe('plainText, for the search index', () => {
  it('keeps the words readers see, joined as written, and drops syntax and link targets', () => {
    expect(bodyText('# A *heading*\n\nSome **bold**er text, a [link](https://x.test/hidden) and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n```\nlet x = 1;\n```\n\n![alt words](/m.svg)'))
      .toBe('A heading Some bolder text, a link and code. one two a b c d let x = 1; alt words');
  });

  it('decodes entities and keeps raw HTML as the text it shows as', () => {
    expect(bodyText('Fish &amp; chips &#233; <b>bold</b> tag')).toBe('Fish & chips é <b>bold</b> tag');
  });

  it('falls back to stripping punctuation for a body too dense to tokenise', () => {
    const text = bodyText('_a'.repeat(50_000));
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain('_');
  });
});
