/**
 * Pure page renderers: data in, HTML out, no I/O.
 *
 * Every interpolation goes through `hono/html`, which escapes it. The
 * exceptions are marked: the article body and figures, which `markdown.ts` has
 * already made safe, the JSON-LD block, which {@link jsonForScript} escapes
 * for its own context, and the banner script, a constant allowed by its hash.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ArticleMeta, Author } from '../content/article.ts';
import { SUPPORT_SCRIPT } from '../region/banner-script.ts';
import { NO_IMAGE_INFO, escapeHtml, renderFigure, type GalleryImage, type ImageInfo } from '../content/markdown.ts';
import type { IndexEntry } from '../storage/kv.ts';
import { STYLESHEET_PATH } from './styles.ts';
import { nameSlug } from '../content/slug.ts';
import { safeUrl } from '../content/url.ts';

/** What every page needs to know about the site. */
export interface Site {
  name: string;
  /** Canonical origin, no trailing slash. */
  origin: string;
  timeZone: string;
  /** Sections linked from the masthead, in order. */
  sections: readonly string[];
}

/**
 * Where the reader's banner goes in an article page. The render is cached
 * without it and the banner for the reader's region is stitched in per
 * request. Escaping guarantees no article text can produce this comment.
 */
export const BANNER_SLOT = '<!--support-banner-->';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

function toString(value: Html): string {
  if (value instanceof Promise) throw new Error('page templates must render synchronously');
  return value.toString();
}

interface LayoutOptions {
  site: Site;
  title: string;
  description?: string;
  canonicalPath?: string;
  language?: string;
  head?: (HtmlEscapedString | string)[];
  robots?: string;
  /** Which masthead link is the current page: `/` or `/sections/<name>`. */
  current?: string;
  /** Pages with the support banner carry its small script. */
  banner?: boolean;
  /** The Atom feed of what this page lists, announced for feed readers (`/feed.xml` unless given). */
  feed?: { path: string; title: string };
  /** What the masthead's search box holds (the search page's own query). */
  query?: string;
  body: HtmlEscapedString | string;
}

function layout(o: LayoutOptions): string {
  const canonical = o.canonicalPath === undefined ? undefined : o.site.origin + o.canonicalPath;
  const navLink = (href: string, label: string) =>
    html`<li><a href="${href}"${o.current === href ? raw(' aria-current="page"') : ''}>${label}</a></li>`;
  return toString(html`<!doctype html>
<html lang="${o.language ?? 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">\n` : ''}${
    canonical ? html`<link rel="canonical" href="${canonical}">\n` : ''}${
    o.robots ? html`<meta name="robots" content="${o.robots}">\n` : ''}<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#fbf9f4" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#16140f" media="(prefers-color-scheme: dark)">
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="${o.feed?.title ?? o.site.name}" href="${o.feed?.path ?? '/feed.xml'}">
${o.banner ? raw(`<script>${SUPPORT_SCRIPT}</script>\n`) : ''}${o.head ?? ''}</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header class="masthead">
<div class="wrap masthead-top">
<a class="wordmark" href="/">${o.site.name}</a>
<p class="tagline">Independent journalism, free to read</p>
<form class="site-search" role="search" action="/search" method="get">
<label for="site-search-q" class="visually-hidden">Search articles</label>
<input id="site-search-q" type="search" name="q" value="${o.query ?? ''}" maxlength="200" placeholder="Search articles" autocomplete="off">
<button type="submit">Search</button>
</form>
</div>
<nav class="sections-nav" aria-label="Sections">
<ul class="wrap">${navLink('/', 'Latest')}${o.site.sections.map((s) => navLink(`/sections/${s}`, sectionLabel(s)))}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p class="footer-name">${o.site.name}</p>
<nav aria-label="Footer"><ul>${navLink('/', 'Latest news')}${
    o.site.sections.map((s) => navLink(`/sections/${s}`, sectionLabel(s)))}<li><a href="/feed.xml">Atom feed</a></li><li><a href="/sitemap.xml">Sitemap</a></li></ul></nav>
<p>${o.site.name} is independent and free to read, paid for by readers who choose to support it.</p>
</div>
</footer>
</body>
</html>
`);
}

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
  const head = [
    html`<meta property="og:type" content="article">
<meta property="og:site_name" content="${site.name}">
<meta property="og:title" content="${article.title}">
<meta property="og:description" content="${description}">
<meta property="og:url" content="${url}">
${article.language.includes('-') ? html`<meta property="og:locale" content="${article.language.replace('-', '_')}">\n` : ''}${
      image ? html`<meta property="og:image" content="${image}">\n<meta property="og:image:alt" content="${article.image!.alt}">\n` : ''}<meta property="article:published_time" content="${article.date}">
${article.updated ? html`<meta property="article:modified_time" content="${article.updated}">\n` : ''}${
      article.section ? html`<meta property="article:section" content="${sectionLabel(article.section)}">\n` : ''}${
      article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${article.title}">
<meta name="twitter:description" content="${description}">
${image ? html`<meta name="twitter:image" content="${image}">\n<meta name="twitter:image:alt" content="${article.image!.alt}">\n` : ''}` as HtmlEscapedString,
    // JSON-LD is data, not script; jsonForScript makes "</script>" impossible inside it.
    html`<script type="application/ld+json">${raw(jsonForScript(newsArticleJsonLd(site, article, url, image)))}</script>\n` as HtmlEscapedString,
  ];

  const lead = article.image
    ? raw(renderFigure(article.image.src, article.image.alt, article.image.caption, article.image.credit, { eager: true, info: images, galleryLink }))
    : '';
  const body = html`${preview ? html`<div class="wrap"><p class="preview-notice" role="status"><strong>Preview.</strong> ${
    article.draft ? 'This draft is not published: readers cannot see it.' : 'This is how the published article looks.'} Do not share this link.</p></div>\n` : ''}<article class="article"${
    article.language !== 'en' ? html` lang="${article.language}"` : ''} aria-labelledby="article-title">
<header class="article-header">
${article.section ? html`<p class="kicker"><a href="/sections/${article.section}">${sectionLabel(article.section)}</a></p>\n` : ''}<h1 id="article-title">${article.title}</h1>
${article.standfirst ? html`<p class="standfirst">${article.standfirst}</p>\n` : ''}</header>
${lead}<div class="article-meta">
${article.authors.length ? html`<p class="byline">By ${byline(article.authors)}</p>\n` : ''}<p class="dateline">${dateline(site, article)}</p>
<p class="reading-time">${readingMinutes} min read</p>
</div>
<div class="article-body">
${raw(bodyHtml)}</div>
${article.tags.length ? html`<footer class="article-footer"><h2 class="visually-hidden">Topics</h2><ul class="tags">${
    article.tags.map((t) => html`<li><a href="/tags/${nameSlug(t)}">${t}</a></li>`)}</ul></footer>\n` : ''}</article>
${raw(BANNER_SLOT)}` as HtmlEscapedString;

  return layout({
    site,
    title: `${article.title} | ${site.name}`,
    description,
    canonicalPath: path,
    language: article.language,
    head,
    banner: true,
    ...(article.section && { current: `/sections/${article.section}` }),
    ...(preview && { robots: 'noindex, nofollow' }),
    body,
  });
}

/** Which list a page shows. */
export type ListView =
  | { kind: 'front' }
  | { kind: 'section'; section: string }
  | { kind: 'tag'; slug: string; name: string }
  | { kind: 'author'; slug: string; name: string; url?: string };

/** Where a list lives: its first page's path. */
export function listPath(view: ListView): string {
  switch (view.kind) {
    case 'front': return '/';
    case 'section': return `/sections/${view.section}`;
    case 'tag': return `/tags/${view.slug}`;
    case 'author': return `/authors/${view.slug}`;
  }
}

/** A list's Atom feed. */
export function listFeedPath(view: ListView): string {
  return view.kind === 'front' ? '/feed.xml' : `${listPath(view)}/feed.xml`;
}

/** What a list is called: the page heading, and what its feed covers. */
export function listTitle(view: ListView): string {
  switch (view.kind) {
    case 'front': return 'Latest news';
    case 'section': return sectionLabel(view.section);
    case 'tag': case 'author': return view.name;
  }
}

/** Data for one page of a list of articles. */
export interface ListPageData {
  site: Site;
  view: ListView;
  entries: IndexEntry[];
  page: number;
  pageCount: number;
}

/** One page of a list: cards, newest first (the first one larger on page 1), with pagination links. */
export function renderListPage({ site, view, entries, page, pageCount }: ListPageData): string {
  const base = listPath(view);
  const pagePath = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  const heading = listTitle(view);
  const kicker = view.kind === 'tag' ? 'Topic' : view.kind === 'author' ? 'Author' : undefined;
  const head = [
    page > 1 ? html`<link rel="prev" href="${pagePath(page - 1)}">\n` : '',
    page < pageCount ? html`<link rel="next" href="${pagePath(page + 1)}">\n` : '',
    html`<meta property="og:type" content="website">\n<meta property="og:title" content="${view.kind === 'front' ? site.name : `${heading} | ${site.name}`}">\n<meta property="og:url" content="${site.origin}${pagePath(page)}">\n`,
  ] as HtmlEscapedString[];
  const ownPage = view.kind === 'author' && view.url ? safeUrl(view.url) : null;
  const body = html`<div class="wrap">
<header class="list-header">
${kicker ? html`<p class="kicker">${kicker}</p>\n` : ''}<h1 class="page-title">${heading}${page > 1 ? html` <span class="page-number">page ${page}</span>` : ''}</h1>
${ownPage ? html`<p class="list-links"><a rel="me" href="${ownPage}">${view.kind === 'author' ? `${view.name}’s own page` : ''}</a></p>\n` : ''}<p class="list-links"><a class="feed-link" href="${listFeedPath(view)}">Atom feed</a></p>
</header>
${entries.length === 0 ? html`<p>Nothing has been published yet.</p>` : html`<ol class="cards">
${entries.map((e, i) => card(site, e, page === 1 && i === 0, view.kind !== 'section'))}</ol>`}
${pagination(page, pageCount, pagePath)}
</div>` as HtmlEscapedString;
  const titles: Record<ListView['kind'], string> = {
    front: page > 1 ? `Latest news, page ${page} | ${site.name}` : `${site.name}: latest news`,
    section: `${heading}${page > 1 ? `, page ${page}` : ''} | ${site.name}`,
    tag: `${heading}${page > 1 ? `, page ${page}` : ''}: the latest | ${site.name}`,
    author: `${heading}${page > 1 ? `, page ${page}` : ''} | ${site.name}`,
  };
  const descriptions: Record<ListView['kind'], string> = {
    front: `The latest reporting from ${site.name}.`,
    section: `The latest ${heading.toLowerCase()} reporting from ${site.name}.`,
    tag: `The latest reporting on ${heading} from ${site.name}.`,
    author: `Articles by ${heading} for ${site.name}.`,
  };
  return layout({
    site,
    title: titles[view.kind],
    description: descriptions[view.kind],
    canonicalPath: pagePath(page),
    current: base,
    head,
    feed: { path: listFeedPath(view), title: view.kind === 'front' ? site.name : `${site.name}: ${heading}` },
    body,
  });
}

function pagination(page: number, pageCount: number, pagePath: (n: number) => string): HtmlEscapedString | string {
  if (pageCount <= 1) return '';
  return html`<nav class="pagination" aria-label="Pages">
${page > 1 ? html`<a rel="prev" href="${pagePath(page - 1)}">← Newer</a>` : html`<span></span>`}
<span>Page ${page} of ${pageCount}</span>
${page < pageCount ? html`<a rel="next" href="${pagePath(page + 1)}">Older →</a>` : html`<span></span>`}
</nav>` as HtmlEscapedString;
}

function card(site: Site, e: IndexEntry, lead: boolean, showSection: boolean): HtmlEscapedString {
  const id = `card-${e.slug.replace(/\//g, '--')}`;
  const src = e.image ? safeUrl(e.image.src, 'image') : null;
  return html`<li class="card${lead ? ' card-lead' : ''}"><article aria-labelledby="${id}">
${src ? html`<img src="${src}" alt="${e.image!.alt}" width="1200" height="800"${lead ? raw(' fetchpriority="high"') : raw(' loading="lazy"')} decoding="async">\n` : ''}<div class="card-text">
${showSection && e.section ? html`<p class="kicker">${sectionLabel(e.section)}</p>\n` : ''}<h2 id="${id}"><a href="/articles/${e.slug}">${e.title}</a></h2>
${e.standfirst ? html`<p class="card-standfirst">${e.standfirst}</p>\n` : ''}<p class="card-date"><time datetime="${e.date}">${formatDate(e.date, site.timeZone)}</time></p>
</div>
</article></li>
` as HtmlEscapedString;
}

/** A search result: a card's headline, section and date, and a snippet of the body. */
export interface SearchHit extends IndexEntry {
  /** Body text with the matched words between U+0002 and U+0003; nothing else in it is markup. */
  snippet: string;
}

/** Data for the search page: no query yet, or a page of results. */
export interface SearchPageData {
  site: Site;
  /** The normalised query; empty when the reader typed nothing searchable. */
  query: string;
  /** Whether anything was typed at all (only punctuation or symbols, say). */
  typed: boolean;
  results: SearchHit[];
  total: number;
  /** True when there may be more matches than were counted. */
  more: boolean;
  page: number;
  pageCount: number;
}

/** The search page: the form, then the results with their snippets. Never indexed by search engines. */
export function renderSearchPage({ site, query, typed, results, total, more, page, pageCount }: SearchPageData): string {
  const pagePath = (n: number) => `/search?q=${encodeURIComponent(query).replace(/%20/g, '+')}${n > 1 ? `&page=${n}` : ''}`;
  const count = `${total.toLocaleString('en-GB')}${more ? '+' : ''} result${total === 1 && !more ? '' : 's'}`;
  const body = html`<div class="wrap search">
<h1 class="page-title">${query ? html`Search results for <q>${query}</q>` : 'Search'}</h1>
<form class="search-form" role="search" action="/search" method="get">
<label for="search-q">Search for words in headlines, summaries and articles</label>
<div class="search-row"><input id="search-q" type="search" name="q" value="${query}" maxlength="200"><button type="submit">Search</button></div>
</form>
${query
    ? html`<p class="search-count" role="status">${count}${page > 1 ? html`, page ${page}` : ''}</p>
${results.length ? html`<ol class="results">
${results.map((r) => result(site, r))}</ol>` : html`<p>No published article contains all of these words. Try fewer or different words.</p>`}
${pagination(page, pageCount, pagePath)}`
    : html`<p>${typed ? 'Searches look for words: letters and numbers. Try a word or two.' : 'Type a word or two above and press Search.'}</p>`}
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: query ? `${query}: search${page > 1 ? `, page ${page}` : ''} | ${site.name}` : `Search | ${site.name}`,
    description: `Search ${site.name}.`,
    canonicalPath: query ? pagePath(page) : '/search',
    robots: 'noindex, follow',
    query,
    body,
  });
}

function result(site: Site, r: SearchHit): HtmlEscapedString {
  return html`<li class="result"><article>
${r.section ? html`<p class="kicker">${sectionLabel(r.section)}</p>\n` : ''}<h2><a href="/articles/${r.slug}">${r.title}</a></h2>
${r.snippet ? html`<p class="snippet">${raw(highlight(r.snippet))}</p>\n` : ''}<p class="card-date"><time datetime="${r.date}">${formatDate(r.date, site.timeZone)}</time></p>
</article></li>
` as HtmlEscapedString;
}

/**
 * A snippet as HTML: everything escaped, then the match markers (U+0002 and
 * U+0003, which no article can contain) turned into `<mark>`. Nothing from the
 * article can become markup.
 */
export function highlight(snippet: string): string {
  const escaped = escapeHtml(snippet.replace(/[\u0000\u0001\u0004-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
  let open = false;
  const marked = escaped.replace(/[\u0002\u0003]/g, (marker) => {
    if (marker === '\u0002' && !open) return (open = true), '<mark>';
    if (marker === '\u0003' && open) return (open = false), '</mark>';
    return '';
  });
  return open ? `${marked}</mark>` : marked;
}

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
  const items = images.map((image, i) => {
    const n = i + 1;
    const size = image.width && image.height ? html` width="${image.width}" height="${image.height}"` : '';
    const srcset = image.srcset ? html` srcset="${image.srcset}" sizes="100vw"` : '';
    const loading = n === 1 ? raw(' fetchpriority="high"') : raw(' loading="lazy"');
    return html`<li class="gallery-item" id="image-${n}">
<figure>
<img src="${image.src}" alt="${image.alt}"${size}${srcset}${loading} decoding="async">
<figcaption><span class="gallery-count">${n} of ${count}</span>${image.caption ? html` ${image.caption}` : ''}${image.credit ? html` <span class="credit">${image.credit}</span>` : ''}</figcaption>
</figure>
<nav class="gallery-nav" aria-label="Image ${n} of ${count}">${n > 1 ? html`<a href="#image-${n - 1}">← Previous<span class="visually-hidden"> image</span></a>` : html`<span></span>`}${
  n < count ? html`<a href="#image-${n + 1}">Next<span class="visually-hidden"> image</span> →</a>` : html`<a href="${back}">Back to the article</a>`}</nav>
</li>
`;
  });
  const body = html`<div class="gallery-page">
<header class="wrap gallery-header">
<p class="kicker">Gallery</p>
<h1 class="page-title">${article.title}</h1>
<p class="gallery-meta"><a href="${back}">← Back to the article</a> <span>${count} ${count === 1 ? 'image' : 'images'}</span></p>
</header>
<ol class="gallery" tabindex="0" aria-label="Images, one at a time: scroll sideways, or use the arrow keys or the links under each image">
${items}</ol>
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: `Gallery: ${article.title} | ${site.name}`,
    description: `The pictures of “${article.title}”, full size.`,
    canonicalPath: articlePath,
    language: article.language,
    ...(articleHref && { robots: 'noindex, nofollow' }),
    ...(article.section && { current: `/sections/${article.section}` }),
    body,
  });
}

/** The 404 page: says what happened and offers a way on, without reading KV. */
export function renderNotFoundPage(site: Site): string {
  return layout({
    site,
    title: `Page not found | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<p class="kicker">Error 404</p>
<h1 class="page-title">We can’t find that page</h1>
<p>The link may be mistyped, or the article may have moved or been withdrawn. These might help:</p>
<ul class="notice-links">
<li><a href="/">The latest news</a></li>
${site.sections.map((s) => html`<li><a href="/sections/${s}">${sectionLabel(s)}</a></li>\n`)}<li><a href="/sitemap.xml">Every article, in the sitemap</a></li>
</ul>
</div>` as HtmlEscapedString,
  });
}

/** A preview link that has expired or was tampered with. */
export function renderPreviewRefusedPage(site: Site, reason: 'expired' | 'invalid'): string {
  return layout({
    site,
    title: `Preview unavailable | ${site.name}`,
    robots: 'noindex, nofollow',
    body: html`<div class="notice wrap">
<h1 class="page-title">${reason === 'expired' ? 'This preview link has expired' : 'This preview link is not valid'}</h1>
<p>Preview links work for a limited time and only exactly as they were sent. Ask the editor for a new one, or run <code>npm run publish</code> again to print fresh links.</p>
<p><a href="/">Go to the latest news</a></p>
</div>` as HtmlEscapedString,
  });
}

/** The page for a 5xx: no details, since the cause may be anyone's input. */
export function renderErrorPage(site: Site, status: number): string {
  const unavailable = status === 503;
  return layout({
    site,
    title: `${unavailable ? 'Temporarily unavailable' : 'Something went wrong'} | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<h1 class="page-title">${unavailable ? 'This page is temporarily unavailable' : 'Sorry, this page could not be shown'}</h1>
<p>${unavailable ? 'We could not reach our article store. Please try again in a moment.' : 'Something went wrong on our side. The problem has been logged.'}</p>
<p><a href="/">Go to the latest news</a></p>
</div>` as HtmlEscapedString,
  });
}

/** "world" → "World", "arts-and-culture" → "Arts and culture". */
export function sectionLabel(section: string): string {
  const words = section.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function byline(authors: Author[]): HtmlEscapedString {
  const parts: (string | Html)[] = [];
  authors.forEach((a, i) => {
    if (i > 0) parts.push(i === authors.length - 1 ? ' and ' : ', ');
    parts.push(html`<a rel="author" href="/authors/${nameSlug(a.name)}">${a.name}</a>`);
  });
  return html`${parts}` as HtmlEscapedString;
}

function dateline(site: Site, article: ArticleMeta): HtmlEscapedString {
  return html`<time datetime="${article.date}">${formatDate(article.date, site.timeZone)}</time>${
    article.updated ? html`<span class="updated">Updated <time datetime="${article.updated}">${formatDate(article.updated, site.timeZone)}</time></span>` : ''
  }` as HtmlEscapedString;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "20 November 2026", or "20 November 2026 at 08:30 GMT" when the value has a time. */
export function formatDate(iso: string, timeZone: string): string {
  const dateOnly = iso.length === 10;
  const key = `${timeZone}|${dateOnly}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', dateOnly
      ? { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }
      : { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    formatters.set(key, format);
  }
  return format.format(new Date(iso));
}

function absoluteUrl(site: Site, src: string): string | undefined {
  const safe = safeUrl(src, 'image');
  if (safe === null) return undefined;
  return new URL(safe, `${site.origin}/`).href;
}

function newsArticleJsonLd(site: Site, article: ArticleMeta, url: string, image: string | undefined): object {
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
    ...(article.section && { articleSection: sectionLabel(article.section) }),
    ...(article.tags.length && { keywords: article.tags.join(', ') }),
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
