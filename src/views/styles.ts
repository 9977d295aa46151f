/**
 * The site's one stylesheet, served from the worker at a content-hashed URL
 * (so it can be cached as immutable) and allowed by CSP as `'self'`.
 * System font stacks only: no web-font downloads.
 */
import { fingerprint } from '../content/fingerprint.ts';

export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --paper: #fbf9f4; --ink: #1b1a17; --muted: #57534a; --rule: #ddd8cc; --accent: #a4161a;
  --tint: #f1ebdf; --tint-ink: #1b1a17; --button: #a4161a; --button-ink: #fff; --focus: #1558d6; --mark: #fbe38e;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --column: 40rem;
}
@media (prefers-color-scheme: dark) {
  :root {
    --paper: #16140f; --ink: #ede9e0; --muted: #b5ae9f; --rule: #3a362d; --accent: #ff8f85;
    --tint: #25211a; --tint-ink: #f4efe6; --button: #ff8f85; --button-ink: #1b0a08; --focus: #8ab4f8; --mark: #5a4700;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 1.125rem/1.65 var(--serif); overflow-wrap: break-word; }
@media (min-width: 64rem) { body { font-size: 1.1875rem; } }
a { color: inherit; text-decoration-thickness: 1px; text-underline-offset: .18em; }
a:hover { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
img { max-width: 100%; height: auto; }
/* A <picture> only chooses the file: its <img> is laid out as if it stood alone. */
picture { display: contents; }
h1, h2, h3, h4 { line-height: 1.15; letter-spacing: -.01em; text-wrap: balance; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.skip-link { position: absolute; inset-inline-start: .5rem; top: -10rem; z-index: 10; padding: .6rem 1rem; background: var(--paper); font: 600 1rem var(--sans); }
.skip-link:focus { top: .5rem; }
.wrap { max-width: 76rem; margin-inline: auto; padding-inline: 1rem; }
.masthead { border-top: 4px solid var(--accent); }
.masthead-top { display: flex; flex-direction: column; align-items: center; gap: .15rem; padding-block: 1rem .8rem; text-align: center; }
.wordmark { font: 700 clamp(2rem, 7vw, 3.25rem)/1 var(--serif); letter-spacing: -.03em; text-decoration: none; }
.tagline { margin: 0; font: .8rem/1.4 var(--sans); letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
.sections-nav { border-block: 1px solid var(--rule); }
.sections-nav ul { display: flex; gap: 1.4rem; margin: 0 auto; list-style: none; overflow-x: auto; white-space: nowrap; scrollbar-width: none; }
@media (min-width: 48rem) { .sections-nav ul { justify-content: center; } }
.sections-nav a { display: block; padding-block: .7rem; font: 600 .85rem/1.2 var(--sans); letter-spacing: .04em; text-transform: uppercase; text-decoration: none; }
.sections-nav a[aria-current="page"] { box-shadow: inset 0 -3px var(--accent); }
main { display: block; padding-block: 1.75rem 3.5rem; }
main:focus { outline: none; }
.kicker { margin: 0 0 .5rem; font: 700 .8rem/1.3 var(--sans); letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
.kicker a { text-decoration: none; }
.article { display: grid; grid-template-columns: minmax(1rem, 1fr) min(var(--column), 100% - 2rem) minmax(1rem, 1fr); }
.article > * { grid-column: 2; }
.article h1 { font-size: clamp(2rem, 6.5vw, 3.1rem); margin: 0 0 .8rem; }
.standfirst { margin: 0 0 1.25rem; font-size: 1.3rem; line-height: 1.45; color: var(--muted); }
.article > figure { grid-column: 1 / -1; justify-self: center; width: 100%; max-width: 60rem; margin: .5rem 0 1.5rem; }
.article > figure figcaption { max-width: var(--column); margin-inline: auto; padding-inline: 1rem; }
@media (min-width: 62rem) { .article > figure figcaption { padding-inline: 0; } }
.article-meta { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; align-items: baseline; padding-block: .7rem; margin-bottom: 1.75rem; border-block: 1px solid var(--rule); font: .9rem/1.5 var(--sans); }
.article-meta p { margin: 0; }
.byline { flex-basis: 100%; font-weight: 600; }
.dateline, .reading-time { color: var(--muted); }
.dateline .updated::before { content: " · "; }
.corrected-notice { flex-basis: 100%; font-weight: 600; }
.corrected-notice a { color: var(--accent); }
.corrections { margin: 2rem 0 1.5rem; padding: 1rem 1.2rem; border-inline-start: 4px solid var(--accent); background: var(--tint); color: var(--tint-ink); font: .95rem/1.5 var(--sans); }
.corrections h2 { margin: 0 0 .5rem; font: 700 .85rem/1.3 var(--sans); letter-spacing: .08em; text-transform: uppercase; }
.corrections ol { margin: 0; padding: 0; list-style: none; }
.corrections li + li { margin-top: .75rem; padding-top: .75rem; border-top: 1px solid var(--rule); }
.corrections p { margin: 0; }
.correction-date { font-weight: 600; }
.corrections-list { margin: 0; padding: 0; list-style: none; max-width: var(--column); }
.correction-item { padding-block: 1rem; border-bottom: 1px solid var(--rule); }
.correction-item h2 { margin: .2rem 0 .4rem; font-size: 1.3rem; }
.correction-item p { margin: 0; }
.correction-item .correction-date { font: 600 .85rem/1.4 var(--sans); color: var(--muted); }
.list-intro { max-width: var(--column); color: var(--muted); }
.gone-reason { padding: .7rem 1rem; border-inline-start: 4px solid var(--accent); background: var(--tint); color: var(--tint-ink); }
figure { margin: 2rem 0; }
figure img { display: block; width: 100%; background: var(--tint); }
figcaption { margin-top: .5rem; font: .85rem/1.45 var(--sans); color: var(--muted); }
.credit { display: inline-block; font-size: .75rem; letter-spacing: .04em; text-transform: uppercase; }
.article-body > :first-child { margin-top: 0; }
.article-body p { margin: 0 0 1.15em; }
.article-body h2 { margin: 2.2rem 0 .6rem; font-size: 1.55rem; }
.article-body h3 { margin: 1.8rem 0 .5rem; font-size: 1.25rem; }
.article-body a { text-decoration-color: var(--accent); }
.article-body blockquote { margin: 1.75rem 0; padding-inline-start: 1.1rem; border-inline-start: 3px solid var(--accent); font-style: italic; }
.article-body pre { overflow-x: auto; padding: .8rem; background: var(--tint); font-size: .9rem; }
.article-body code { font: .88em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.article-body table { display: block; width: 100%; overflow-x: auto; margin: 1.5rem 0; border-collapse: collapse; font: .95rem/1.4 var(--sans); }
.article-body th, .article-body td { padding: .45rem .7rem; border-bottom: 1px solid var(--rule); text-align: start; }
.article-body th { border-bottom-width: 2px; }
.article-body hr { margin: 2.5rem 0; border: 0; border-top: 1px solid var(--rule); }
.article-footer { margin-top: 2rem; }
.tags { display: flex; flex-wrap: wrap; gap: .5rem; margin: 0; padding: 0; list-style: none; font: .85rem/1.3 var(--sans); }
.tags a { display: inline-block; padding: .3rem .8rem; border: 1px solid var(--rule); border-radius: 2rem; text-decoration: none; }
.tags a:hover { border-color: var(--accent); }
.byline a { text-decoration-color: var(--rule); }
.site-search { display: flex; gap: .4rem; margin-top: .7rem; }
.site-search input, .search-row input { min-width: 0; padding: .5rem .9rem; border: 1px solid var(--muted); border-radius: 2rem; background: var(--paper); color: var(--ink); font: 1rem var(--sans); }
.site-search input { width: 13rem; }
.site-search button, .search-row button { min-height: 2.6rem; padding: .45rem 1.1rem; border: 0; border-radius: 2rem; background: var(--ink); color: var(--paper); font: 600 .95rem var(--sans); cursor: pointer; }
.list-header { margin-bottom: 1.5rem; }
.list-header .page-title { margin-bottom: .4rem; }
.list-links { margin: 0 0 .3rem; font: .9rem/1.5 var(--sans); color: var(--muted); }
.search-form { max-width: 40rem; margin-bottom: 1.5rem; }
.search-form label { display: block; margin-bottom: .5rem; font: .95rem/1.4 var(--sans); }
.search-row { display: flex; gap: .5rem; }
.search-row input { flex: 1; }
.search-count { font: .95rem/1.4 var(--sans); color: var(--muted); }
.results { display: grid; gap: 1.6rem; max-width: var(--column); margin: 1.25rem 0 0; padding: 0; list-style: none; }
.result h2 { margin: 0 0 .35rem; font-size: 1.3rem; }
.result h2 a { text-decoration: none; }
.result h2 a:hover { text-decoration: underline; }
.snippet { margin: 0 0 .35rem; font-size: 1rem; line-height: 1.55; }
mark { background: var(--mark); color: inherit; padding-inline: .1em; border-radius: .15em; }
.gallery-link { display: inline-block; font: 600 .8rem/1.6 var(--sans); color: var(--ink); white-space: nowrap; }
.gallery-header { margin-bottom: 1rem; }
.gallery-header .page-title { margin-bottom: .4rem; }
.gallery-meta { display: flex; flex-wrap: wrap; gap: .3rem 1rem; margin: 0; font: .95rem/1.5 var(--sans); color: var(--muted); }
.gallery { display: grid; grid-auto-flow: column; grid-auto-columns: 100%; margin: 0; padding: 0; list-style: none; overflow-x: auto; overscroll-behavior-x: contain; scroll-snap-type: x mandatory; }
.gallery:focus-visible { outline-offset: -3px; }
.gallery-item { position: relative; display: flex; flex-direction: column; min-width: 0; padding-inline: 1rem; scroll-snap-align: center; scroll-snap-stop: always; }
.gallery-item figure { margin: 0; }
.gallery-item img { display: block; width: 100%; height: min(72vh, 56rem); height: min(72svh, 56rem); object-fit: contain; background: var(--tint); }
.gallery-item figcaption { max-width: 60rem; margin: .6rem auto 0; }
.gallery-count { margin-inline-end: .3rem; font-weight: 700; color: var(--ink); }
.gallery-nav { display: flex; justify-content: space-between; gap: 1rem; width: 100%; max-width: 60rem; margin: .5rem auto 0; font: 1rem/1.4 var(--sans); }
.gallery-nav a { display: inline-block; padding: .6rem .1rem; }
@media (prefers-reduced-motion: no-preference) { .gallery { scroll-behavior: smooth; } }
.support { max-width: calc(var(--column) + 2rem); margin: 3rem auto 0; padding-inline: 1rem; }
.support-inner { position: relative; padding: 1.4rem 1.25rem 1.5rem; background: var(--tint); color: var(--tint-ink); border-top: 4px solid var(--accent); }
.support h2 { margin: 0 2.5rem .8rem 0; font-size: clamp(1.35rem, 4vw, 1.7rem); }
.support p { margin: 0 0 .8rem; font-size: 1.05rem; line-height: 1.55; }
.support-highlight { font-weight: 700; text-decoration: underline; text-decoration-color: var(--accent); text-decoration-thickness: 2px; text-underline-offset: .25em; }
/* The impression beacon: its background (named by the banner's own stylesheet) is fetched only once the banner is on screen. */
.support-seen { display: block; width: 1px; height: 1px; content-visibility: auto; contain-intrinsic-size: 1px 1px; }
.support-seen > span { display: block; width: 1px; height: 1px; }
.support-actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.2rem 0 0 !important; }
.button { display: inline-flex; align-items: center; min-height: 2.75rem; padding: .55rem 1.25rem; border-radius: 2rem; background: var(--button); color: var(--button-ink); font: 700 1rem/1.2 var(--sans); text-decoration: none; }
.button:hover { color: var(--button-ink); filter: brightness(1.1); }
.button-secondary { background: transparent; color: var(--tint-ink); border: 2px solid currentColor; }
.button-secondary:hover { color: var(--tint-ink); }
.support-dismiss { display: none; position: absolute; top: .4rem; inset-inline-end: .4rem; width: 2.75rem; height: 2.75rem; align-items: center; justify-content: center; border: 0; border-radius: 50%; background: transparent; color: var(--tint-ink); font: 1.6rem/1 var(--sans); cursor: pointer; }
.support-dismiss:hover { background: var(--paper); }
.js .support-dismiss { display: inline-flex; }
.support-hidden .support { display: none; }
.page-title { margin: 0 0 1.5rem; font-size: clamp(1.8rem, 5vw, 2.6rem); }
.page-number { font-size: .55em; color: var(--muted); font-weight: 400; }
.cards { display: grid; gap: 2rem 1.75rem; margin: 0; padding: 0; list-style: none; }
@media (min-width: 40rem) { .cards { grid-template-columns: repeat(2, 1fr); } .card-lead { grid-column: 1 / -1; } }
@media (min-width: 64rem) { .cards { grid-template-columns: repeat(3, 1fr); } }
.card article { height: 100%; padding-top: .9rem; border-top: 1px solid var(--rule); }
.card img { display: block; width: 100%; aspect-ratio: 3 / 2; object-fit: cover; margin-bottom: .8rem; background: var(--tint); }
.card h2, .card h3 { margin: 0 0 .45rem; font-size: 1.3rem; }
.card h2 a, .card h3 a { text-decoration: none; }
.card h2 a:hover, .card h3 a:hover { text-decoration: underline; }
.card-compact h3 { font-size: 1.08rem; }
.card-standfirst { margin: 0 0 .5rem; font-size: 1rem; line-height: 1.5; color: var(--muted); }
.card-date { margin: 0; font: .8rem/1.4 var(--sans); color: var(--muted); }
@media (min-width: 64rem) {
  .card-lead article { display: grid; grid-template-columns: 3fr 2fr; gap: 1.75rem; align-items: start; }
  .card-lead img { margin: 0; }
  .card-lead h2, .card-lead h3 { font-size: 2.1rem; }
  .card-lead .card-standfirst { font-size: 1.15rem; }
}
.editions-nav { display: flex; flex-wrap: wrap; justify-content: center; align-items: baseline; gap: .2rem 1rem; margin-top: .35rem; font: .85rem/1.4 var(--sans); }
.edition-current { margin: 0; font-weight: 700; }
.editions-nav ul { display: flex; gap: 1rem; margin: 0; padding: 0; list-style: none; }
.editions-nav a { display: inline-block; padding-block: .2rem; color: var(--muted); }
.front-container { margin-bottom: 2.75rem; }
.container-title { margin: 0 0 .9rem; padding-top: .5rem; border-top: 3px solid var(--ink); font: 700 1.05rem/1.3 var(--sans); letter-spacing: .05em; text-transform: uppercase; }
.container-title a { text-decoration: none; }
.container-title a:hover { text-decoration: underline; }
@media (min-width: 64rem) { .front-container:not(.front-lead) .cards { grid-template-columns: repeat(4, 1fr); } .front-container:not(.front-lead) .card:first-child { grid-column: span 2; grid-row: span 2; } }
.front-more { margin: 0; padding-top: 1rem; border-top: 1px solid var(--rule); font: 600 1rem/1.4 var(--sans); }
.pagination { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-top: 2.5rem; padding-top: 1rem; border-top: 1px solid var(--rule); font: 1rem/1.4 var(--sans); }
.pagination a { display: inline-block; padding: .5rem 0; }
.notice { max-width: calc(var(--column) + 2rem); }
.notice-links { padding-inline-start: 1.2rem; }
.notice-links li { margin-bottom: .35rem; }
.preview-notice { max-width: var(--column); margin: 0 auto 1.5rem; padding: .7rem 1rem; border: 2px dashed var(--accent); font: .95rem/1.45 var(--sans); }
.site-footer { padding-block: 2rem 2.5rem; border-top: 1px solid var(--rule); font: .9rem/1.5 var(--sans); color: var(--muted); }
.footer-name { margin: 0 0 .6rem; font: 700 1.4rem var(--serif); color: var(--ink); }
.site-footer ul { display: flex; flex-wrap: wrap; gap: .35rem 1.2rem; margin: 0 0 1rem; padding: 0; list-style: none; }
.site-footer a { display: inline-block; padding-block: .2rem; }
@media print {
  .sections-nav, .editions-nav, .front-more, .support, .skip-link, .site-footer nav, .pagination, .tagline, .site-search, .search-form, .feed-link, .gallery-link, .gallery-nav { display: none !important; }
  .gallery { display: block; overflow: visible; }
  .gallery-item { padding: 0; margin-bottom: 1.5rem; break-inside: avoid; }
  .gallery-item img { height: auto; max-height: 80vh; }
  body { background: #fff; color: #000; font-size: 11pt; }
  .masthead { border-top: 0; }
  .article-body a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em; }
  figure { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
`.trim();

/** Bump when page markup changes in a way nothing else versions (templates are code: on Cloudflare, the deploy id covers them). */
export const TEMPLATE_VERSION = '6';

/** Changes whenever the stylesheet does, so its URL can be cached forever. */
export const STYLESHEET_VERSION = fingerprint(STYLESHEET);
export const STYLESHEET_PATH = `/assets/site.${STYLESHEET_VERSION}.css`;
/** Every deploy's stylesheet URL, this one's and earlier ones' (a hash of 8 hex digits). */
export const STYLESHEET_ROUTE = '/assets/:file{site\\.[0-9a-f]{8}\\.css}';

export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#a4161a"/><path d="M9 7h8.5c4 0 6.3 1.9 6.3 4.9 0 2-1.1 3.4-3 4 2.4.5 3.8 2.1 3.8 4.4 0 3.4-2.6 5.7-7 5.7H9zm4.2 3.4v4.6h3.6c1.9 0 2.9-.8 2.9-2.3s-1-2.3-2.9-2.3zm0 7.9v5.3h4c2.1 0 3.2-.9 3.2-2.7 0-1.7-1.1-2.6-3.2-2.6z" fill="#fff"/></svg>`;
