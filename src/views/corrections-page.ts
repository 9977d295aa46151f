/**
 * `/corrections`: every correction of a published article, newest first,
 * each with the article it corrects and a link to the box on it. Pure.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CORRECTIONS_FEED_PATH, CORRECTIONS_PATH, type CorrectionEntry } from './feeds.ts';
import { contentLanguage, formatDate, layout, pagination, sectionLabel, t, type Site } from './layout.ts';

export interface CorrectionsPageData {
  site: Site;
  corrections: CorrectionEntry[];
  page: number;
  pageCount: number;
}

export function renderCorrectionsPage({ site, corrections, page, pageCount }: CorrectionsPageData): string {
  const m = t(site);
  const pagePath = (n: number) => (n === 1 ? CORRECTIONS_PATH : `${CORRECTIONS_PATH}?page=${n}`);
  const items = corrections.map((e) => {
    const own = contentLanguage(site, e.language);
    return html`<li class="correction-item"><article aria-labelledby="correction-${e.slug.replace(/\//g, '--')}-${e.position + 1}">
<p class="correction-date"><time datetime="${e.correctedDate}">${formatDate(e.correctedDate, site)}</time>${
  e.section ? html` · ${sectionLabel(e.section, site)}` : ''}</p>
<h2 id="correction-${e.slug.replace(/\//g, '--')}-${e.position + 1}"><span class="visually-hidden">${m.correctionTo} </span><a href="/articles/${e.slug}#corrections"${own}>${e.title}</a></h2>
<p${own}>${raw(e.html)}</p>
</article></li>
`;
  });
  const body = html`<div class="wrap corrections-page">
<header class="list-header">
<h1 class="page-title">${m.corrections}${page > 1 ? html` <span class="page-number">${m.pageNumber(page)}</span>` : ''}</h1>
<p class="list-intro">${m.correctionsIntro(site.name)}</p>
<p class="list-links"><a class="feed-link" href="${CORRECTIONS_FEED_PATH}">${m.atomFeed}</a></p>
</header>
${corrections.length ? html`<ol class="corrections-list">
${items}</ol>` : html`<p>${m.correctionsNone}</p>`}
${pagination(site, page, pageCount, pagePath)}
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: `${page > 1 ? m.titledPage(m.corrections, page) : m.corrections} | ${site.name}`,
    description: m.correctionsDescription(site.name),
    canonicalPath: pagePath(page),
    current: CORRECTIONS_PATH,
    feed: { path: CORRECTIONS_FEED_PATH, title: `${site.name}: ${m.corrections}` },
    head: [
      page > 1 ? html`<link rel="prev" href="${pagePath(page - 1)}">\n` as HtmlEscapedString : '',
      page < pageCount ? html`<link rel="next" href="${pagePath(page + 1)}">\n` as HtmlEscapedString : '',
    ],
    body,
  });
}
