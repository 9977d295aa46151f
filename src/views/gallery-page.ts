/**
 * An article's gallery: every picture, one screen each. Pure.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ArticleMeta } from '../content/article.ts';
import type { GalleryImage } from '../content/markdown.ts';
import { contentLanguage, layout, t, type Site } from './layout.ts';

/** Data for an article's gallery page. */
export interface GalleryPageData {
  site: Site;
  article: ArticleMeta;
  images: GalleryImage[];
  /** Where "back to the article" goes: the article, or an editor's signed preview of it. */
  articleHref?: string;
}

/**
 * Every picture of an article, one screen each, in reading order: a strip
 * that scrolls sideways and snaps to each picture, with an anchor per picture
 * (`#image-3`) and previous and next links, so keyboards, swipes and links all
 * move through it without JavaScript. Region-neutral: no banner.
 */
export function renderGalleryPage({ site, article, images, articleHref }: GalleryPageData): string {
  const articlePath = `/articles/${article.slug}`;
  const back = articleHref ?? articlePath;
  const count = images.length;
  const m = t(site);
  const own = contentLanguage(site, article.language);
  const items = images.map((image, i) => {
    const n = i + 1;
    const size = image.width && image.height ? html` width="${image.width}" height="${image.height}"` : '';
    const srcset = image.srcset ? html` srcset="${image.srcset}" sizes="100vw"` : '';
    const loading = n === 1 ? raw(' fetchpriority="high"') : raw(' loading="lazy"');
    return html`<li class="gallery-item" id="image-${n}">
<figure>
<img src="${image.src}" alt="${image.alt}"${size}${srcset}${loading} decoding="async">
<figcaption><span class="gallery-count">${m.imageOf(n, count)}</span>${image.caption ? (own ? html` <span${own}>${image.caption}</span>` : html` ${image.caption}`) : ''}${image.credit ? html` <span class="credit">${image.credit}</span>` : ''}</figcaption>
</figure>
<nav class="gallery-nav" aria-label="${m.galleryNav(n, count)}">${n > 1 ? html`<a href="#image-${n - 1}">${m.previous}<span class="visually-hidden"> ${m.imageWord}</span></a>` : html`<span></span>`}${
  n < count ? html`<a href="#image-${n + 1}">${m.next}<span class="visually-hidden"> ${m.imageWord}</span> →</a>` : html`<a href="${back}">${m.backToArticle}</a>`}</nav>
</li>
`;
  });
  const body = html`<div class="gallery-page">
<header class="wrap gallery-header">
<p class="kicker">${m.gallery}</p>
<h1 class="page-title"${own}>${article.title}</h1>
<p class="gallery-meta"><a href="${back}">← ${m.backToArticle}</a> <span>${m.imageCount(count)}</span></p>
</header>
<ol class="gallery" tabindex="0" aria-label="${m.galleryStrip}">
${items}</ol>
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: `${m.galleryTitle(article.title)} | ${site.name}`,
    description: m.galleryDescription(article.title),
    canonicalPath: articlePath,
    ...(articleHref && { robots: 'noindex, nofollow' }),
    ...(article.section && { current: `/sections/${article.section}` }),
    body,
  });
}
