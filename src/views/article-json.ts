/** The JSON API's shape for one article: its metadata and its body as safe HTML, no banner. */
import type { ArticleMeta } from '../content/article.ts';
import { renderNote } from '../content/markdown.ts';
import type { Site } from './layout.ts';

export function renderArticleJson(site: Site, meta: ArticleMeta, bodyHtml: string): string {
  return JSON.stringify({
    slug: meta.slug,
    url: `${site.origin}/articles/${meta.slug}`,
    title: meta.title,
    standfirst: meta.standfirst ?? null,
    date: meta.date,
    updated: meta.updated ?? null,
    authors: meta.authors,
    section: meta.section ?? null,
    tags: meta.tags,
    image: meta.image ?? null,
    language: meta.language,
    corrections: meta.corrections.map((c) => ({ date: c.date, text: c.text, html: renderNote(c.text).html })),
    html: bodyHtml,
  });
}
