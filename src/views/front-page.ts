/**
 * An edition's front page: a lead story with its large picture, then the
 * containers editors curate, each a titled section in a responsive grid, with
 * cards sized by position (the first of each container with its picture, the
 * rest compact). It ends with a link to the full newest-first list. Pure.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Container } from '../content/fronts.ts';
import { layout, t, type EditionLinks, type Site } from './layout.ts';
import { card, type ListEntry } from './list-page.ts';

export interface FrontPageData {
  site: Site;
  editions: EditionLinks;
  containers: { container: Container; entries: ListEntry[] }[];
  /** Where this front is: `/` (the reader's edition) or `/editions/<id>`. */
  path: string;
  alternates: { hreflang: string; path: string }[];
}

/** Where a container's title links: the list it fills from. */
function containerLink(c: Container): string | null {
  if (!c.query) return null;
  return { section: '/sections/', topic: '/tags/', author: '/authors/' }[c.query.kind] + c.query.key;
}

/** A card's size by its position: the front's lead, then pictures for the rest of the first container's top three and each other container's first card. */
function sizeAt(container: number, position: number): 'lead' | 'top' | 'compact' {
  if (container === 0 && position === 0) return 'lead';
  return position === 0 || (container === 0 && position < 3) ? 'top' : 'compact';
}

export function renderFrontPage({ site, editions, containers, path, alternates }: FrontPageData): string {
  const sections = containers.map(({ container, entries }, i) => {
    const id = `front-${i + 1}`;
    const link = containerLink(container);
    return html`<section class="front-container${i === 0 ? ' front-lead' : ''}" aria-labelledby="${id}">
<h2 class="container-title" id="${id}">${link ? html`<a href="${link}">${container.title}</a>` : container.title}</h2>
<ol class="cards">
${entries.map((e, j) => card(site, e, {
  heading: 'h3',
  size: sizeAt(i, j),
  showSection: container.query?.kind !== 'section',
}))}</ol>
</section>
`;
  });
  const m = t(site);
  const body = html`<div class="wrap front">
<h1 class="visually-hidden">${site.name}: ${editions.current.title}</h1>
${containers.length === 0 ? html`<p>${m.nothingPublished}</p>\n` : sections}<p class="front-more"><a href="/latest">${m.allLatest}</a></p>
</div>` as HtmlEscapedString;
  return layout({
    site,
    title: `${site.name}: ${editions.current.title}`,
    description: m.editionDescription(editions.current.title, site.name),
    canonicalPath: path,
    editions,
    alternates,
    head: [html`<meta property="og:type" content="website">\n<meta property="og:title" content="${site.name}">\n<meta property="og:url" content="${site.origin}${path}">\n` as HtmlEscapedString],
    body,
  });
}
