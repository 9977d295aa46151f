/**
 * Articles several contract tests read: a set with a nested slug, a draft and
 * a plain upload (no metadata, no index row), and a set with our own media.
 */
import { env } from 'cloudflare:workers';
import { articleFile, pngHeader, seedArticle } from './helpers.ts';

export const FERRY = articleFile(`
title: Ferry <returns> & "sails"
date: 2026-11-20T08:30:00Z
updated: 2026-11-21T09:00:00Z
standfirst: The boat is back.
authors:
  - name: Ada Lovelace
    url: https://example.com/ada
  - Grace Hopper
  - Ida Wells
section: local
tags: [transport, harbour]
image:
  src: /media/ferry.svg
  alt: A ferry on the water
  caption: The ferry at dawn
  credit: Jo Bloggs
`, '## Crossing the bay\n\nIt sails at nine.\n\n![A map](/media/map.svg "The route | Broadsheet")\n');

/**
 * local/ferry (above), world/americas/delta-seeds, the draft business/secret,
 * and plain-upload, put with no metadata as a plain `wrangler kv key put` does.
 */
export async function seedRoutesArticles(): Promise<void> {
  await seedArticle('local/ferry', FERRY);
  await seedArticle('world/americas/delta-seeds', articleFile('title: Seeds in the delta\ndate: 2026-11-18\nsection: world'));
  await seedArticle('business/secret', articleFile('title: Secret draft\ndate: 2026-11-22T00:00:00Z\nstandfirst: Not ready yet.\ndraft: true'));
  await seedArticle('plain-upload', articleFile('title: Uploaded with plain wrangler\ndate: 2026-11-19T12:00:00Z\nstandfirst: No metadata on this key.'), { withMetadata: false });
  await env.ARTICLES.put('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
}

/**
 * world/one, with a main image and a body image from our media (1200×800 SVG,
 * 2000×1000 PNG) and one from elsewhere; world/two; culture/three.
 */
export async function seedReaderArticles(): Promise<void> {
  await env.ARTICLES.put('media/wide.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 800"/>');
  await env.ARTICLES.put('media/photo.png', pngHeader(2000, 1000));
  await seedArticle('world/one', articleFile(`title: World one
date: 2026-11-10T10:00:00Z
section: world
image:
  src: /media/wide.svg
  alt: A wide picture
  caption: Caption
  credit: Credit`, 'Text.\n\n![A photo](/media/photo.png "A photo | Someone")\n\n![Elsewhere](https://example.com/x.png)\n'));
  await seedArticle('world/two', articleFile('title: World two\ndate: 2026-11-11T10:00:00Z\nsection: world'));
  await seedArticle('culture/three', articleFile('title: Culture three\ndate: 2026-11-12T10:00:00Z\nsection: culture'));
}

/** Banner copy for `config/banners` that overrides the UK group only. */
export const UK_OVERRIDE = `UK:
  heading: Winter appeal
  paragraphs:
    - Reporting from every town.
  highlight: Give {currency}3 ({currencyCode}) a month.
  primary:
    label: Give now
    url: https://support.example/uk
`;
