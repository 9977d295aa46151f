/**
 * The article page: pure, data in and HTML out, with the region's banner left
 * out (at {@link BANNER_SLOT}) so one rendering serves every region. The
 * article body and figures come already made safe by `content/markdown.ts`;
 * the JSON-LD block is escaped for its own context by {@link jsonForScript}.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ArticleMeta, Author } from '../content/article.ts';
import { LEAD_SIZES, NO_IMAGE_INFO, renderFigure, renderNote, type ImageInfo, type RenderedNote } from '../content/markdown.ts';
import { nameSlug } from '../content/slug.ts';
import { safeUrl } from '../content/url.ts';
import { contentLanguage, formatDate, languageWithin, layout, sectionLabel, t, type Html, type Site } from './layout.ts';

/**
 * Where the reader's banner goes in an article page. The render is cached
 * without it and the banner for the reader's region is stitched in per
 * request. Escaping guarantees no article text can produce this comment.
 */
export const BANNER_SLOT = '<!--support-banner-->';

/** Data for one article page. */
export interface ArticlePageData {
  site: Site;
  article: ArticleMeta;
  /** The body as safe HTML, straight from `markdown.ts`. */
  bodyHtml: string;
  wordCount: number;
  /** Sizes (and srcsets) for the main image. */
  images?: ImageInfo;
  /** An editor's preview: marked as such, and kept out of search engines. */
  preview?: boolean;
  /** Where the main image sits in the article's gallery, when it has one. */
  galleryLink?: string | null;
}

/**
 * The complete article page, with {@link BANNER_SLOT} where the region's
 * banner belongs. Depends on nothing region-specific, so it can be cached by
 * content hash and shared by every region.
 */
export function renderArticlePage({ site, article, bodyHtml, wordCount, images = NO_IMAGE_INFO, preview = false, galleryLink = null }: ArticlePageData): string {
  const path = `/articles/${article.slug}`;
  const url = site.origin + path;
  const image = article.image ? absoluteUrl(site, article.image.src) : undefined;
  const description = article.standfirst ?? article.title;
  const readingMinutes = Math.max(1, Math.round(wordCount / 230));
  const m = t(site);
  // The article carries its own language; the interface's words inside it carry the site's.
  const own = contentLanguage(site, article.language);
  const ui = languageWithin(site.language, article.language);
  // Each correction's text rendered once, for the box and for the JSON-LD.
  const notes = article.corrections.map((c) => ({ date: c.date, ...renderNote(c.text) }));
  const head = [
    html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${site.name}">
<meta property="og:title" content="${article.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${url}">
${article.language.includes('-') ? html`<meta property="og:locale" content="${article.language.replace('-', '_')}">\n` : ''}${
      image ? html`<meta property="og:image" content="${image}">\n<meta property="og:image:alt" content="${article.image!.alt}">\n` : ''}<meta property="article:published_time" content="${article.date}">
${article.updated ? html`<meta property="article:modified_time" content="${article.updated}">\n` : ''}${
      article.section ? html`<meta property="article:section" content="${sectionLabel(article.section, site)}">\n` : ''}${
      article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${article.title}">
<meta name="twitter:description" content="${description}">
${image ? html`<meta name="twitter:image" content="${image}">\n<meta name="twitter:image:alt" content="${article.image!.alt}">\n` : ''}` as HtmlEscapedString,
    // JSON-LD is data, not script; jsonForScript makes "</script>" impossible inside it.
    html`<script type="application/ld+json">${raw(jsonForScript(newsArticleJsonLd(site, article, notes, url, image)))}</script>\n` as HtmlEscapedString,
  ];

  const lead = article.image
    ? raw(renderFigure(article.image.src, article.image.alt, article.image.caption, article.image.credit, {
      eager: true, info: images, galleryLink, galleryLabels: { open: m.openInGallery, image: m.galleryImage }, sizes: LEAD_SIZES,
    }))
    : '';
  const body = html`${preview ? html`<div class="wrap"><p class="preview-notice" role="status"><strong>${m.previewLabel}</strong> ${
    article.draft ? m.previewDraft : m.previewPublished} ${m.previewDoNotShare}</p></div>\n` : ''}<article class="article"${own} aria-labelledby="article-title">
<header class="article-header">
${article.section ? html`<p class="kicker"${ui}><a href="/sections/${article.section}">${sectionLabel(article.section, site)}</a></p>\n` : ''}<h1 id="article-title">${article.title}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>\n` : ''}</header>
${lead}<div class="article-meta"${ui}>
${article.authors.length ? html`<p class="byline">${m.by} ${byline(article.authors, m.and)}</p>\n` : ''}<p class="dateline">${dateline(site, article)}</p>
<p class="reading-time">${m.minutesRead(readingMinutes)}</p>
${article.corrections.length ? html`<p class="corrected-notice"><a href="#corrections">${m.correctedNotice}</a></p>\n` : ''}</div>
<div class="article-body">
${raw(bodyHtml)}</div>
${notes.length ? correctionsBox(site, notes, ui) : ''}${article.tags.length ? html`<footer class="article-footer"><h2 class="visually-hidden"${ui}>${m.topics}</h2><ul class="tags">${
    article.tags.map((tag) => html`<li><a href="/tags/${nameSlug(tag)}">${tag}</a></li>`)}</ul></footer>\n` : ''}</article>
${raw(BANNER_SLOT)}` as HtmlEscapedString;

  return layout({
    site,
    title: `${article.title} | ${site.name}`,
    description,
    canonicalPath: path,
    head,
    banner: true,
    ...(article.section && { current: `/sections/${article.section}` }),
    ...(preview && { robots: 'noindex, nofollow' }),
    body,
  });
}

/** A correction with its text rendered: safe HTML for the box, plain text for the JSON-LD. */
interface RenderedCorrection extends RenderedNote {
  date: string;
}

/**
 * The corrections, oldest first, each dated, under a heading in the site's
 * language (`ui`: its `lang` when the article is in another). Their text is
 * inline markdown, made safe by `renderNote`.
 */
function correctionsBox(site: Site, notes: RenderedCorrection[], ui: HtmlEscapedString | string): HtmlEscapedString {
  return html`<aside class="corrections" id="corrections" aria-labelledby="corrections-heading">
<h2 id="corrections-heading"${ui}>${t(site).corrections}</h2>
<ol>
${notes.map((n) => html`<li><p class="correction-date"${ui}><time datetime="${n.date}">${formatDate(n.date, site)}</time></p><p>${raw(n.html)}</p></li>\n`)}</ol>
</aside>
` as HtmlEscapedString;
}

function byline(authors: Author[], and: string): HtmlEscapedString {
  const parts: (string | Html)[] = [];
  authors.forEach((a, i) => {
    if (i > 0) parts.push(i === authors.length - 1 ? ` ${and} ` : ', ');
    parts.push(html`<a rel="author" href="/authors/${nameSlug(a.name)}">${a.name}</a>`);
  });
  return html`${parts}` as HtmlEscapedString;
}

function dateline(site: Site, article: ArticleMeta): HtmlEscapedString {
  return html`<time datetime="${article.date}">${formatDate(article.date, site)}</time>${
    article.updated ? html`<span class="updated">${t(site).updated} <time datetime="${article.updated}">${formatDate(article.updated, site)}</time></span>` : ''
  }` as HtmlEscapedString;
}

function absoluteUrl(site: Site, src: string): string | undefined {
  const safe = safeUrl(src, 'image');
  if (safe === null) return undefined;
  return new URL(safe, `${site.origin}/`).href;
}

function newsArticleJsonLd(site: Site, article: ArticleMeta, notes: RenderedCorrection[], url: string, image: string | undefined): object {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    ...(article.standfirst && { description: article.standfirst }),
    datePublished: article.date,
    dateModified: article.updated ?? article.date,
    ...(image && { image: [image] }),
    ...(article.authors.length && {
      author: article.authors.map((a) => ({ '@type': 'Person', name: a.name, ...(a.url && { url: a.url }) })),
    }),
    publisher: { '@type': 'Organization', name: site.name, url: `${site.origin}/` },
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    inLanguage: article.language,
    ...(article.section && { articleSection: sectionLabel(article.section, site) }),
    ...(article.tags.length && { keywords: article.tags.join(', ') }),
    ...(notes.length && {
      correction: notes.map((n) => ({ '@type': 'CorrectionComment', datePublished: n.date, text: n.text })),
    }),
    isAccessibleForFree: true,
  };
}

/**
 * JSON for inside a `<script>` element. Escaping `<`, `>` and `&` as `\u003c`
 * and friends keeps the JSON identical to a parser while making `</script>`
 * and `<!--` impossible; U+2028 and U+2029 are escaped for old parsers.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
