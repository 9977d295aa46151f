/**
 * Pages for when there is nothing to show: a 404, a refused preview link,
 * a 5xx. None reads storage, and none says more than a reader needs.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { layout, sectionLabel, t, type Site } from './layout.ts';

/** The 404 page: says what happened and offers a way on, without reading KV. */
export function renderNotFoundPage(site: Site): string {
  const m = t(site);
  return layout({
    site,
    title: `${m.notFoundTitle} | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<p class="kicker">${m.errorKicker(404)}</p>
<h1 class="page-title">${m.notFoundHeading}</h1>
<p>${m.notFoundText}</p>
<ul class="notice-links">
<li><a href="/">${m.notFoundLatest}</a></li>
${site.sections.map((s) => html`<li><a href="/sections/${s}">${sectionLabel(s, site)}</a></li>\n`)}<li><a href="/sitemap.xml">${m.notFoundSitemap}</a></li>
</ul>
</div>` as HtmlEscapedString,
  });
}

/**
 * The page for an article taken down (a 410): that it was removed on
 * purpose and will not come back at this address, and the reason the
 * editors gave, if they gave one.
 */
export function renderGonePage(site: Site, reason: string | null): string {
  const m = t(site);
  return layout({
    site,
    title: `${m.goneTitle} | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<p class="kicker">${m.errorKicker(410)}</p>
<h1 class="page-title">${m.goneHeading}</h1>
<p>${m.goneText}</p>
${reason ? html`<p class="gone-reason"><strong>${m.goneReason}</strong> ${reason}</p>\n` : ''}<p><a href="/corrections">${m.goneCorrections}</a></p>
<p><a href="/">${m.goToLatest}</a></p>
</div>` as HtmlEscapedString,
  });
}

/** A preview link that has expired or was tampered with. */
export function renderPreviewRefusedPage(site: Site, reason: 'expired' | 'invalid'): string {
  const m = t(site);
  return layout({
    site,
    title: `${m.previewUnavailable} | ${site.name}`,
    robots: 'noindex, nofollow',
    body: html`<div class="notice wrap">
<h1 class="page-title">${reason === 'expired' ? m.previewExpired : m.previewInvalid}</h1>
<p>${m.previewHelp}</p>
<p><a href="/">${m.goToLatest}</a></p>
</div>` as HtmlEscapedString,
  });
}

/** Too many searches from one reader in a minute (a 429): reading is never limited, so it says what still works. */
export function renderSearchLimitedPage(site: Site, retryAfterSeconds: number): string {
  const m = t(site);
  return layout({
    site,
    title: `${m.limitedTitle} | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<p class="kicker">${m.errorKicker(429)}</p>
<h1 class="page-title">${m.limitedHeading}</h1>
<p>${m.limitedText(retryAfterSeconds)}</p>
<p>${m.limitedStillWorks}</p>
<p><a href="/">${m.goToLatest}</a></p>
</div>` as HtmlEscapedString,
  });
}

/** The page for a 5xx: no details, since the cause may be anyone's input. */
export function renderErrorPage(site: Site, status: number): string {
  const m = t(site);
  const unavailable = status === 503;
  return layout({
    site,
    title: `${unavailable ? m.unavailableTitle : m.errorTitle} | ${site.name}`,
    robots: 'noindex',
    body: html`<div class="notice wrap">
<h1 class="page-title">${unavailable ? m.unavailableHeading : m.errorHeading}</h1>
<p>${unavailable ? m.unavailableText : m.errorText}</p>
<p><a href="/">${m.goToLatest}</a></p>
</div>` as HtmlEscapedString,
  });
}
