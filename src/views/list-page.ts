/**
 * A page of a list (the front page, a section, a topic or an author): cards,
 * newest first, with pagination and the list's feed. Pure.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { ArticleSummary } from '../content/article.ts';
import { imageHtml } from '../content/markdown.ts';
import { safeUrl } from '../content/url.ts';
import { cardCandidates } from '../media/candidates.ts';
import { contentLanguage, formatDate, layout, pagination, sectionLabel, t, type EditionLinks, type Site } from './layout.ts';

/** What a list, a feed or a search result shows of one article. */
export interface ListEntry extends ArticleSummary {
  language: string;
  /** The byline's names, in order (feeds name them). */
  authors?: string[];
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
    case 'front': return '/latest';
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
export function listTitle(site: Site, view: ListView): string {
  switch (view.kind) {
    case 'front': return t(site).latestNews;
    case 'section': return sectionLabel(view.section, site);
    case 'tag': case 'author': return view.name;
  }
}

/** Data for one page of a list of articles. */
export interface ListPageData {
  site: Site;
  view: ListView;
  entries: ListEntry[];
  page: number;
  pageCount: number;
  /** The newest-first list standing in as a front (at `/` or `/editions/<id>`): where its first page is, and the front's masthead and alternates. */
  asFront?: { path: string; canonicalPath: string; editions?: EditionLinks; alternates?: { hreflang: string; path: string }[] };
}

/** One page of a list: cards, newest first (the first one larger on page 1), with pagination links. */
export function renderListPage({ site, view, entries, page, pageCount, asFront }: ListPageData): string {
  const base = listPath(view);
  const pagePath = (n: number) => (n === 1 ? asFront?.path ?? base : `${base}?page=${n}`);
  const m = t(site);
  const heading = listTitle(site, view);
  const kicker = view.kind === 'tag' ? m.topic : view.kind === 'author' ? m.author : undefined;
  const head = [
    page > 1 ? html`<link rel="prev" href="${pagePath(page - 1)}">\n` : '',
    page < pageCount ? html`<link rel="next" href="${pagePath(page + 1)}">\n` : '',
    html`<meta property="og:type" content="website">\n<meta property="og:title" content="${view.kind === 'front' ? site.name : `${heading} | ${site.name}`}">\n<meta property="og:url" content="${site.origin}${pagePath(page)}">\n`,
  ] as HtmlEscapedString[];
  const ownPage = view.kind === 'author' && view.url ? safeUrl(view.url) : null;
  const body = html`<div class="wrap">
<header class="list-header">
${kicker ? html`<p class="kicker">${kicker}</p>\n` : ''}<h1 class="page-title">${heading}${page > 1 ? html` <span class="page-number">${m.pageNumber(page)}</span>` : ''}</h1>
${ownPage ? html`<p class="list-links"><a rel="me" href="${ownPage}">${view.kind === 'author' ? m.authorsOwnPage(view.name) : ''}</a></p>\n` : ''}<p class="list-links"><a class="feed-link" href="${listFeedPath(view)}">${m.atomFeed}</a></p>
</header>
${entries.length === 0 ? html`<p>${m.nothingPublished}</p>` : html`<ol class="cards">
${entries.map((e, i) => card(site, e, { heading: 'h2', size: page === 1 && i === 0 ? 'lead' : 'top', showSection: view.kind !== 'section' }))}</ol>`}
${pagination(site, page, pageCount, pagePath)}
</div>` as HtmlEscapedString;
  const paged = (title: string) => (page > 1 ? m.titledPage(title, page) : title);
  const titles: Record<ListView['kind'], string> = {
    front: page > 1 ? `${m.titledPage(heading, page)} | ${site.name}` : m.frontTitle(site.name),
    section: `${paged(heading)} | ${site.name}`,
    tag: `${m.topicTitle(paged(heading))} | ${site.name}`,
    author: `${paged(heading)} | ${site.name}`,
  };
  const descriptions: Record<ListView['kind'], string> = {
    front: m.latestDescription(site.name),
    section: m.sectionDescription(heading, site.name),
    tag: m.topicDescription(heading, site.name),
    author: m.authorDescription(heading, site.name),
  };
  return layout({
    site,
    title: titles[view.kind],
    description: descriptions[view.kind],
    canonicalPath: asFront?.canonicalPath ?? pagePath(page),
    current: asFront ? undefined : base,
    ...(asFront?.editions && { editions: asFront.editions }),
    ...(asFront?.alternates && { alternates: asFront.alternates }),
    head,
    feed: { path: listFeedPath(view), title: view.kind === 'front' ? site.name : `${site.name}: ${heading}` },
    body,
  });
}

/** How a card shows: its heading level, and its size by position (the lead, with the page's one eager image; a top card with its picture; a compact one without). */
export interface CardStyle {
  heading: 'h2' | 'h3';
  size: 'lead' | 'top' | 'compact';
  showSection: boolean;
}

/** How wide a card's picture is shown (the stylesheet's .cards grid): a third of the page, half, or all of it; the lead's 3fr of 5. */
const CARD_SIZES = '(min-width: 76rem) 24rem, (min-width: 64rem) 31vw, (min-width: 40rem) 48vw, 100vw';
const LEAD_CARD_SIZES = '(min-width: 76rem) 44rem, (min-width: 64rem) 58vw, 100vw';

/** A card's picture: 3:2 by the stylesheet, whatever the file's own shape (the index does not hold it), with the variants there are. */
function cardImage(site: Site, src: string, alt: string, attributes: string, lead: boolean): string {
  return imageHtml(src, alt, attributes, {
    size: { width: 1200, height: 800 }, candidates: cardCandidates(src, site.imageResizing ?? 'none'), sizes: lead ? LEAD_CARD_SIZES : CARD_SIZES,
  });
}

/** One article's card. */
export function card(site: Site, e: ListEntry, { heading, size, showSection }: CardStyle): HtmlEscapedString {
  const id = `card-${e.slug.replace(/\//g, '--')}`;
  const src = size !== 'compact' && e.image ? safeUrl(e.image.src, 'image') : null;
  const lead = size === 'lead';
  const h = raw(heading);
  const own = contentLanguage(site, e.language);
  return html`<li class="card${lead ? ' card-lead' : size === 'compact' ? ' card-compact' : ''}"><article aria-labelledby="${id}">
${src ? html`${raw(cardImage(site, src, e.image!.alt, `${String(own)}${lead ? ' fetchpriority="high"' : ' loading="lazy"'} decoding="async"`, lead))}\n` : ''}<div class="card-text">
${showSection && e.section ? html`<p class="kicker">${sectionLabel(e.section, site)}</p>\n` : ''}<${h} id="${id}"${own}><a href="/articles/${e.slug}">${e.title}</a></${h}>
${e.standfirst && size !== 'compact' ? html`<p class="card-standfirst"${own}>${e.standfirst}</p>\n` : ''}<p class="card-date"><time datetime="${e.date}">${formatDate(e.date, site)}</time></p>
</div>
</article></li>
` as HtmlEscapedString;
}
