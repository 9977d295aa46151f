/**
 * The archive index's view of one article: the row the D1 `articles` table
 * holds and the lists the article is on. Pure, and shared by the worker (which
 * writes rows for articles it serves or reconciles) and the editors' commands
 * (which write them for what they publish), so both always agree.
 */
import type { ArticleMeta } from '../content/article.ts';
import { nameSlug } from '../content/slug.ts';

/** The front page's list: every visible article. */
export const FRONT_LIST = '';

export const sectionList = (section: string) => `section:${section}`;
export const tagList = (tagSlug: string) => `tag:${tagSlug}`;
export const authorList = (authorSlug: string) => `author:${authorSlug}`;

/** One article as the index stores it. Times are milliseconds since the epoch. */
export interface IndexRow {
  slug: string;
  hash: string;
  title: string;
  date: string;
  updated: string | null;
  publishedAt: number;
  modifiedAt: number;
  standfirst: string | null;
  section: string | null;
  language: string;
  draft: 0 | 1;
  imageSrc: string | null;
  imageAlt: string | null;
  /** The byline's names, in order. */
  authors: string[];
  /** Earlier slugs that redirect to this one; none for a draft. */
  aliases: string[];
  /** Corrections, oldest first, with their time in ms; none for a draft. */
  corrections: { date: string; text: string; at: number }[];
  /** Every list the article appears on; none for a draft. */
  lists: string[];
  /** What to call the tag and author lists, and an author's own page. */
  names: { list: string; name: string; url: string | null }[];
  /** The body as plain text for full-text search, at most {@link MAX_SEARCH_TEXT} characters. */
  text: string;
  /** The revision of this version (from the publish command), or null for a plain upload's. */
  revision: number | null;
}

/**
 * Search reads the first 60,000 characters of a body (about 10,000 words):
 * longer than nearly any news article, and it keeps each row's statement
 * within D1's 100 KB once publish writes it into a SQL file.
 */
export const MAX_SEARCH_TEXT = 60_000;

/**
 * The index row for an article version; `text` is its body as plain text
 * (`PreparedBody.text()` in content/markdown.ts), `revision` the version's
 * revision when the publish command gave it one.
 */
export function indexRow(meta: ArticleMeta, hash: string, text: string, revision: number | null = null): IndexRow {
  const publishedAt = Date.parse(meta.date);
  const names: IndexRow['names'] = [];
  const lists = [FRONT_LIST];
  if (meta.section) lists.push(sectionList(meta.section));
  for (const tag of meta.tags) {
    const list = tagList(nameSlug(tag));
    if (!lists.includes(list)) {
      lists.push(list);
      names.push({ list, name: tag, url: null });
    }
  }
  for (const author of meta.authors) {
    const list = authorList(nameSlug(author.name));
    if (!lists.includes(list)) {
      lists.push(list);
      names.push({ list, name: author.name, url: author.url ?? null });
    }
  }
  return {
    slug: meta.slug,
    hash,
    title: meta.title,
    date: meta.date,
    updated: meta.updated ?? null,
    publishedAt,
    modifiedAt: Math.max(publishedAt, meta.updated ? Date.parse(meta.updated) : 0),
    standfirst: meta.standfirst ?? null,
    section: meta.section ?? null,
    language: meta.language,
    draft: meta.draft ? 1 : 0,
    imageSrc: meta.image?.src ?? null,
    imageAlt: meta.image?.alt ?? null,
    authors: meta.authors.map((a) => a.name),
    aliases: meta.draft ? [] : meta.aliases,
    corrections: meta.draft ? [] : meta.corrections.map((c) => ({ date: c.date, text: c.text, at: Date.parse(c.date) })),
    lists: meta.draft ? [] : lists,
    names: meta.draft ? [] : names,
    text: meta.draft ? '' : capText(text),
    revision,
  };
}

/** At most {@link MAX_SEARCH_TEXT} characters, cut at a space, and within ~80 KB once quoted into SQL. */
function capText(text: string): string {
  let capped = text.length > MAX_SEARCH_TEXT ? text.slice(0, text.lastIndexOf(' ', MAX_SEARCH_TEXT) + 1 || MAX_SEARCH_TEXT).trimEnd() : text;
  // Quotes double when inlined into SQL, and JSON escapes some characters: keep the worst case in bounds.
  while (JSON.stringify(capped).replaceAll("'", "''").length > 80_000) capped = capped.slice(0, Math.floor(capped.length * 0.9));
  return capped;
}
