/**
 * The site's one stylesheet, served from the worker at a content-hashed URL
 * (so it can be cached as immutable) and allowed by CSP as `'self'`.
 * System font stacks only: no web-font downloads.
 */
import { fingerprint } from './fingerprint.ts';

export const STYLESHEET = `
:root {
  color-scheme: light dark;
  --ink: #1a1a1a; --muted: #545454; --paper: #fff; --rule: #d9d9d9; --accent: #a4161a;
  --tint: #f4efe6; --tint-ink: #1a1a1a; --button: #a4161a; --button-ink: #fff; --focus: #1558d6;
  --serif: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --measure: 40rem;
}
@media (prefers-color-scheme: dark) {
  :root {
    --ink: #ececec; --muted: #b3b3b3; --paper: #121212; --rule: #3a3a3a; --accent: #ff8a80;
    --tint: #262019; --tint-ink: #f2ede4; --button: #ff8a80; --button-ink: #1a0000; --focus: #8ab4f8;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 1.125rem/1.6 var(--serif); }
a { color: inherit; text-decoration-thickness: 1px; text-underline-offset: .18em; }
a:hover { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
img { max-width: 100%; height: auto; }
.skip-link { position: absolute; left: .5rem; top: -10rem; background: var(--paper); padding: .5rem 1rem; z-index: 10; font-family: var(--sans); }
.skip-link:focus { top: .5rem; }
.wrap { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
.masthead { border-bottom: 1px solid var(--rule); }
.masthead .wrap { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between; gap: .5rem 1.5rem; padding-block: .9rem; }
.wordmark { font: 700 clamp(1.6rem, 5vw, 2.3rem)/1 var(--serif); letter-spacing: -.02em; text-decoration: none; }
.masthead nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; list-style: none; margin: 0; padding: 0; font: 600 .9rem/1.4 var(--sans); }
.masthead nav a { text-decoration: none; }
main { display: block; padding-block: 1.5rem 3rem; }
main:focus { outline: none; }
.article { max-width: var(--measure); margin: 0 auto; }
.kicker { margin: 0 0 .5rem; font: 700 .8rem/1.3 var(--sans); letter-spacing: .08em; text-transform: uppercase; color: var(--accent); }
.kicker a { text-decoration: none; }
h1, h2, h3, h4 { line-height: 1.15; letter-spacing: -.01em; }
.article h1 { font-size: clamp(2rem, 6vw, 3rem); margin: 0 0 .75rem; }
.standfirst { font-size: 1.3rem; line-height: 1.45; color: var(--muted); margin: 0 0 1rem; }
.byline, .dateline { font: .9rem/1.5 var(--sans); margin: 0; }
.byline { font-weight: 600; }
.dateline { color: var(--muted); }
.article-meta { border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); padding: .6rem 0; margin: 0 0 1.5rem; }
figure { margin: 1.75rem 0; }
figure img { display: block; width: 100%; background: var(--tint); }
figcaption { font: .85rem/1.45 var(--sans); color: var(--muted); margin-top: .45rem; }
.credit { white-space: nowrap; text-transform: uppercase; font-size: .75rem; letter-spacing: .04em; }
.article-body h2 { font-size: 1.5rem; margin: 2rem 0 .5rem; }
.article-body h3 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
.article-body blockquote { margin: 1.5rem 0; padding-left: 1rem; border-left: 3px solid var(--accent); font-style: italic; }
.article-body pre { overflow-x: auto; background: var(--tint); padding: .75rem; font-size: .9rem; }
.article-body code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
.article-body table { border-collapse: collapse; width: 100%; font: .95rem/1.4 var(--sans); display: block; overflow-x: auto; }
.article-body th, .article-body td { border-bottom: 1px solid var(--rule); padding: .4rem .6rem; text-align: left; }
.article-body hr { border: 0; border-top: 1px solid var(--rule); margin: 2rem 0; }
.tags { list-style: none; padding: 0; margin: 2rem 0 0; display: flex; flex-wrap: wrap; gap: .5rem; font: .85rem/1.3 var(--sans); }
.tags li { border: 1px solid var(--rule); border-radius: 2rem; padding: .2rem .7rem; }
.support { max-width: var(--measure); margin: 2.5rem auto 0; padding: 1.25rem 1.25rem 1.5rem; background: var(--tint); color: var(--tint-ink); border-top: 4px solid var(--accent); }
.support h2 { margin: 0 0 .75rem; font-size: 1.4rem; }
.support p { margin: 0 0 .75rem; font-size: 1rem; }
.support-highlight { font-weight: 700; }
.support-actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0 0; }
.button { display: inline-block; padding: .6rem 1.1rem; border-radius: 2rem; background: var(--button); color: var(--button-ink); font: 700 .95rem/1.2 var(--sans); text-decoration: none; }
.button:hover { color: var(--button-ink); filter: brightness(1.1); }
.button-secondary { background: transparent; color: var(--tint-ink); border: 1px solid currentColor; }
.button-secondary:hover { color: var(--tint-ink); }
.page-title { font-size: clamp(1.6rem, 4vw, 2.2rem); margin: 0 0 1.25rem; }
.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr)); }
.card { border-top: 1px solid var(--rule); padding-top: .75rem; }
.card img { display: block; width: 100%; aspect-ratio: 3 / 2; object-fit: cover; margin-bottom: .6rem; background: var(--tint); }
.card h2 { font-size: 1.3rem; margin: 0 0 .4rem; }
.card h2 a { text-decoration: none; }
.card p { margin: 0 0 .4rem; font-size: 1rem; color: var(--muted); }
.card .meta { font: .8rem/1.4 var(--sans); }
.pagination { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin-top: 2rem; font: .95rem/1.4 var(--sans); }
.preview-notice { max-width: var(--measure); margin: 0 auto 1.25rem; padding: .6rem .9rem; border: 2px dashed var(--accent); font: .95rem/1.4 var(--sans); }
.notice { max-width: var(--measure); margin: 0 auto; }
.site-footer { border-top: 1px solid var(--rule); font: .85rem/1.5 var(--sans); color: var(--muted); padding-block: 1.5rem; }
.site-footer ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; margin: 0 0 .5rem; }
@media print {
  .masthead nav, .support, .skip-link, .site-footer ul, .pagination { display: none !important; }
  body { font-size: 11pt; color: #000; background: #fff; }
  a { text-decoration: none; }
  .article-body a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
}
`.trim();

/** Changes whenever the stylesheet does, so its URL can be cached forever. */
export const STYLESHEET_VERSION = fingerprint(STYLESHEET);
export const STYLESHEET_PATH = `/assets/site.${STYLESHEET_VERSION}.css`;

export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#a4161a"/><path d="M9 7h8.5c4 0 6.3 1.9 6.3 4.9 0 2-1.1 3.4-3 4 2.4.5 3.8 2.1 3.8 4.4 0 3.4-2.6 5.7-7 5.7H9zm4.2 3.4v4.6h3.6c1.9 0 2.9-.8 2.9-2.3s-1-2.3-2.9-2.3zm0 7.9v5.3h4c2.1 0 3.2-.9 3.2-2.7 0-1.7-1.1-2.6-3.2-2.6z" fill="#fff"/></svg>`;
