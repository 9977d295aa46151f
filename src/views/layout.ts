/**
 * The frame every page shares: head, masthead with the search form and the
 * sections, footer; and the small formatting helpers pages share. Pure: data
 * in, HTML out. Every interpolation goes through `hono/html`, which escapes
 * it; the banner script is a constant allowed by its CSP hash.
 */
import type { ImageResizing } from '../media/candidates.ts';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { SUPPORT_SCRIPT } from '../region/banner-script.ts';
import { LruCache } from '../storage/lru.ts';
import { CACHE_BOUNDS } from '../caches.ts';
import { messagesFor, sameLanguage, textDirection, type Messages } from './messages.ts';
import { STYLESHEET_PATH } from './styles.ts';

/** What every page needs to know about the site. */
export interface Site {
  name: string;
  /** Canonical origin, no trailing slash. */
  origin: string;
  timeZone: string;
  /** Sections linked from the masthead, in order. */
  sections: readonly string[];
  /** The interface language (`SITE_LANGUAGE`): a key of `LANGUAGES` in messages.ts. */
  language: string;
  /**
   * The authority of the site's `tag:` URIs (RFC 4151), which name feed
   * entries whatever host a request came by: `SITE_URL`'s host name, or
   * `<site-name>.invalid` when that is not set.
   */
  tagAuthority: string;
  /** How raster images are offered resized (`IMAGE_RESIZING`); not at all when absent. */
  imageResizing?: ImageResizing;
}

/** The interface strings of the site's language. */
export function t(site: Site): Messages {
  return messagesFor(site.language);
}

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function toString(value: Html): string {
  if (value instanceof Promise) throw new Error('page templates must render synchronously');
  return value.toString();
}

export interface LayoutOptions {
  site: Site;
  title: string;
  description?: string;
  canonicalPath?: string;
  head?: (HtmlEscapedString | string)[];
  robots?: string;
  /** Which masthead link is the current page: `/latest` or `/sections/<name>`. */
  current?: string;
  /** Pages with the support banner carry its small script. */
  banner?: boolean;
  /** The Atom feed of what this page lists, announced for feed readers (`/feed.xml` unless given). */
  feed?: { path: string; title: string };
  /** What the masthead's search box holds (the search page's own query). */
  query?: string;
  /** On a front: the edition shown, and the others, linked by their own URLs. */
  editions?: EditionLinks;
  /** `hreflang` alternates of this page (a front's editions). */
  alternates?: { hreflang: string; path: string }[];
  body: HtmlEscapedString | string;
}

/** The masthead's editions: which one this page is, and every edition's own URL. */
export interface EditionLinks {
  current: { id: string; title: string };
  all: { id: string; title: string }[];
}

function editionsNav(links: EditionLinks, m: Messages): HtmlEscapedString {
  const others = links.all.filter((e) => e.id !== links.current.id);
  return html`<nav class="editions-nav" aria-label="${m.editionsNav}"><p class="edition-current">${links.current.title}</p>${
    others.length ? html`<ul>${others.map((e) => html`<li><a href="/editions/${e.id}">${e.title}</a></li>`)}</ul>` : ''}</nav>
` as HtmlEscapedString;
}

/**
 * A whole page in the site's language (`<html lang>`, and `dir` for a
 * right-to-left one); content in another language carries its own `lang`
 * where it is shown.
 */
export function layout(o: LayoutOptions): string {
  const m = t(o.site);
  const canonical = o.canonicalPath === undefined ? undefined : o.site.origin + o.canonicalPath;
  const navLink = (href: string, label: string) =>
    html`<li><a href="${href}"${o.current === href ? raw(' aria-current="page"') : ''}>${label}</a></li>`;
  return toString(html`<!doctype html>
<html lang="${o.site.language}"${textDirection(o.site.language) === 'rtl' ? raw(' dir="rtl"') : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">\n` : ''}${
    canonical ? html`<link rel="canonical" href="${canonical}">\n` : ''}${
    o.robots ? html`<meta name="robots" content="${o.robots}">\n` : ''}${
    (o.alternates ?? []).map((a) => html`<link rel="alternate" hreflang="${a.hreflang}" href="${o.site.origin}${a.path}">\n`)}<meta name="color-scheme" content="light dark">
<meta name="theme-color" content="#fbf9f4" media="(prefers-color-scheme: light)">
<meta name="theme-color" content="#16140f" media="(prefers-color-scheme: dark)">
<link rel="stylesheet" href="${STYLESHEET_PATH}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="${o.feed?.title ?? o.site.name}" href="${o.feed?.path ?? '/feed.xml'}">
${o.banner ? raw(`<script>${SUPPORT_SCRIPT}</script>\n`) : ''}${o.head ?? ''}</head>
<body>
<a class="skip-link" href="#main">${m.skipLink}</a>
<header class="masthead">
<div class="wrap masthead-top">
<a class="wordmark" href="/">${o.site.name}</a>
<p class="tagline">${m.tagline}</p>
<form class="site-search" role="search" action="/search" method="get">
<label for="site-search-q" class="visually-hidden">${m.searchLabel}</label>
<input id="site-search-q" type="search" name="q" value="${o.query ?? ''}" maxlength="200" placeholder="${m.searchPlaceholder}" autocomplete="off">
<button type="submit">${m.searchButton}</button>
</form>
${o.editions ? editionsNav(o.editions, m) : ''}</div>
<nav class="sections-nav" aria-label="${m.sectionsNav}">
<ul class="wrap">${navLink('/latest', m.latest)}${o.site.sections.map((s) => navLink(`/sections/${s}`, sectionLabel(s, o.site)))}</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site-footer">
<div class="wrap">
<p class="footer-name">${o.site.name}</p>
<nav aria-label="${m.footerNav}"><ul>${navLink('/latest', m.latestNews)}${
    o.site.sections.map((s) => navLink(`/sections/${s}`, sectionLabel(s, o.site)))}${navLink('/corrections', m.correctionsLink)}<li><a href="/feed.xml">${m.atomFeed}</a></li><li><a href="/sitemap.xml">${m.sitemap}</a></li></ul></nav>
<p>${m.footerNote(o.site.name)}</p>
</div>
</footer>
</body>
</html>
`);
}

export function pagination(site: Site, page: number, pageCount: number, pagePath: (n: number) => string): HtmlEscapedString | string {
  if (pageCount <= 1) return '';
  const m = t(site);
  return html`<nav class="pagination" aria-label="${m.pages}">
${page > 1 ? html`<a rel="prev" href="${pagePath(page - 1)}">${m.newer}</a>` : html`<span></span>`}
<span>${m.pageOf(page, pageCount)}</span>
${page < pageCount ? html`<a rel="next" href="${pagePath(page + 1)}">${m.older}</a>` : html`<span></span>`}
</nav>` as HtmlEscapedString;
}

/** A section's name in the site's language; else from its slug: "arts-and-culture" → "Arts and culture". */
export function sectionLabel(section: string, site: Site): string {
  const named = t(site).sections[section];
  if (named) return named;
  const words = section.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const formatters = new LruCache<Intl.DateTimeFormat>(CACHE_BOUNDS.dateFormats);

/** "20 November 2026", or "20 November 2026 at 08:30 GMT" when the value has a time, in the site's language and time zone. */
export function formatDate(iso: string, site: Site): string {
  const dateOnly = iso.length === 10;
  const { timeZone } = site;
  const { locale } = t(site);
  const key = `${locale}|${timeZone}|${dateOnly}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, dateOnly
      ? { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }
      : { timeZone, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
    formatters.set(key, format);
  }
  return format.format(new Date(iso));
}

/** `lang`, and `dir` where the script needs it, for content in `language` when that is not the site's language; nothing otherwise. */
export function contentLanguage(site: Site, language: string): HtmlEscapedString | string {
  return languageWithin(language, site.language);
}

/** `lang` (and `dir` when the direction changes) for text in `language` inside text in `around`; nothing when they are the same language. */
export function languageWithin(language: string, around: string): HtmlEscapedString | string {
  if (sameLanguage(language, around)) return '';
  const rtl = textDirection(language) === 'rtl';
  if (rtl === (textDirection(around) === 'rtl')) return html` lang="${language}"` as HtmlEscapedString;
  return html` lang="${language}" dir="${rtl ? 'rtl' : 'ltr'}"` as HtmlEscapedString;
}
