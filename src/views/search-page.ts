/**
 * The search page: the form, the results with their snippets, pagination.
 * Pure, and never indexed by search engines.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { escapeHtml } from '../content/markdown.ts';
import { contentLanguage, formatDate, layout, pagination, sectionLabel, t, type Site } from './layout.ts';
import type { ListEntry } from './list-page.ts';

/** A search result: a card's headline, section and date, and a snippet of the body. */
export interface SearchHit extends ListEntry {
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
  const m = t(site);
  const count = m.results(total, more);
  const body = html`<div class="wrap search">
<h1 class="page-title">${query ? html`${m.searchResultsFor} <q>${query}</q>` : m.search}</h1>
<form class="search-form" role="search" action="/search" method="get">
<label for="search-q">${m.searchFormLabel}</label>
<div class="search-row"><input id="search-q" type="search" name="q" value="${query}" maxlength="200"><button type="submit">${m.searchButton}</button></div>
</form>
${query
    ? html`<p class="search-count" role="status">${page > 1 ? m.titledPage(count, page) : count}</p>
${results.length ? html`<ol class="results">
${results.map((r) => result(site, r))}</ol>` : html`<p>${m.noResults}</p>`}
${pagination(site, page, pageCount, pagePath)}`
    : html`<p>${typed ? m.searchWords : m.searchStart}</p>`}
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: query ? `${page > 1 ? m.titledPage(m.searchTitle(query), page) : m.searchTitle(query)} | ${site.name}` : `${m.search} | ${site.name}`,
    description: m.searchDescription(site.name),
    canonicalPath: query ? pagePath(page) : '/search',
    robots: 'noindex, follow',
    query,
    body,
  });
}

function result(site: Site, r: SearchHit): HtmlEscapedString {
  const own = contentLanguage(site, r.language);
  return html`<li class="result"><article>
${r.section ? html`<p class="kicker">${sectionLabel(r.section, site)}</p>\n` : ''}<h2${own}><a href="/articles/${r.slug}">${r.title}</a></h2>
${r.snippet ? html`<p class="snippet"${own}>${raw(highlight(r.snippet))}</p>\n` : ''}<p class="card-date"><time datetime="${r.date}">${formatDate(r.date, site)}</time></p>
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
