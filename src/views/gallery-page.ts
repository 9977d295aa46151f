/**
 * An article's gallery: every picture, one screen each. Pure.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ArticleMeta } from '../content/article.ts';
import { imageHtml, type GalleryImage } from '../content/markdown.ts';
import { contentLanguage, layout, t, type Site } from './layout.ts';

/** A gallery picture is as wide as the screen at most (it is letterboxed to 72% of the screen's height). */
const GALLERY_SIZES = '100vw';

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
    const size = image.width && image.height ? { width: image.width, height: image.height } : undefined;
    const loading = n === 1 ? ' fetchpriority="high"' : ' loading="lazy"';
    // The gallery shows each picture at most the full width and 72% of the height of the screen (the stylesheet's .gallery-item img).
    const picture = imageHtml(image.src, image.alt, `${loading} decoding="async"`, { size, candidates: image.candidates, sizes: GALLERY_SIZES });
    return html`<li class="gallery-item" id="image-${n}">
<figure>
${raw(picture)}
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
