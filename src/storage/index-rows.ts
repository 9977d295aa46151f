/**
 * The archive index's view of one article: the row the D1 `articles` table
 * holds and the lists the article is on. Pure, and shared by the worker (which
 * writes rows for articles it serves or reconciles) and the editors' commands
 * (which write them for what they publish), so both always agree.
 */
import type { ArticleMeta } from '../article.ts';
import { fingerprint } from '../fingerprint.ts';
import { foldToSegment } from '../slug.ts';

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
  /** Every list the article appears on; none for a draft. */
  lists: string[];
  /** What to call the tag and author lists, and an author's own page. */
  names: { list: string; name: string; url: string | null }[];
}

/** The index row for an article version. */
export function indexRow(meta: ArticleMeta, hash: string): IndexRow {
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
    lists: meta.draft ? [] : lists,
    names: meta.draft ? [] : names,
  };
}

/**
 * The stable URL segment for a tag or an author's name: lower-case ASCII words
 * joined by hyphens, accents folded ("José Núñez" → "jose-nunez"). A name with
 * no Latin letters or digits at all gets a short hash instead, so it still has
 * an address. Two spellings that fold alike share a page, on purpose.
 */
export function nameSlug(name: string): string {
  return foldToSegment(name) || `n-${fingerprint(name.normalize('NFC').toLowerCase())}`;
}
