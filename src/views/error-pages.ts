/**
 * Pages for when there is nothing to show: a 404, a refused preview link,
 * a 5xx. None reads storage, and none says more than a reader needs.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { layout, sectionLabel, type Site } from './layout.ts';

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

/** Too many searches from one reader in a minute (a 429): reading is never limited, so it says what still works. */
export function renderSearchLimitedPage(site: Site, retryAfterSeconds: number): string {
  return layout({
    site,
    title: `Too many searches | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<p class="kicker">Error 429</p>
<h1 class="page-title">Too many searches, too quickly</h1>
<p>To keep search fast for everyone, each reader can run a limited number of new searches a minute. Please try again in ${retryAfterSeconds} seconds.</p>
<p>Everything else works as usual: <a href="/">the latest news</a>, the sections, and searches that were run recently.</p>
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
