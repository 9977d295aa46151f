/**
 * The entries a list page, feed or sitemap shows, read from the D1 index. Each
 * read is one query bounded by the page it fills, never by the archive: the
 * first pages of a list are an index range scan from its newest end; deeper
 * pages seek to a keyset anchor counted from the oldest end and skip fewer
 * than {@link ANCHOR_STEP} rows.
 */
import type { IndexDb } from '../storage/index-db.ts';
import {
  ANCHOR_STEP, monthEntriesStatement, newestEntriesStatement, oldestEntriesStatement,
  recentEntriesStatement, sitemapMonthsStatement,
} from '../storage/index-sql.ts';
import type { ListEntry } from '../views/list-page.ts';

export interface CardRow {
  slug: string;
  hash: string;
  title: string;
  date: string;
  updated: string | null;
  standfirst: string | null;
  section: string | null;
  language: string;
  imageSrc: string | null;
  imageAlt: string | null;
  /** The byline's names, as a JSON array. */
  authors: string;
}

export function toEntry(row: CardRow): ListEntry {
  return {
    slug: row.slug,
    hash: row.hash,
    title: row.title,
    date: row.date,
    language: row.language,
    authors: parseNames(row.authors),
    ...(row.updated !== null && { updated: row.updated }),
    ...(row.standfirst !== null && { standfirst: row.standfirst }),
    ...(row.section !== null && { section: row.section }),
    ...(row.imageSrc !== null && row.imageAlt !== null && { image: { src: row.imageSrc, alt: row.imageAlt } }),
  };
}

function parseNames(json: string): string[] {
  try {
    const names: unknown = JSON.parse(json);
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Page `page` (from 1) of a list of `total` visible entries, `size` to a page,
 * newest first. Readers never write anchors: writers keep them (shifted in
 * their transaction, extended as lists grow, gaps split by the Cron).
 */
export async function listEntries(
  db: IndexDb,
  list: string,
  { total, now, page, size }: { total: number; now: number; page: number; size: number },
): Promise<ListEntry[]> {
  const skip = (page - 1) * size;
  if (skip < ANCHOR_STEP) return (await db.all<CardRow>(newestEntriesStatement(list, now, skip, size))).map(toEntry);
  // Deep pages, counted from the oldest end: ordinals there never move when new articles arrive.
  const start = Math.max(0, total - skip - size);
  const count = total - skip - start;
  if (count <= 0) return [];
  const rows = await db.all<CardRow>(oldestEntriesStatement(list, start, count));
  return rows.reverse().map(toEntry);
}

/** A month of the front page list, for the sitemap index. */
export interface SitemapMonth {
  /** `YYYY-MM`, UTC. */
  month: string;
  /** Entries that month, scheduled ones included. */
  total: number;
  lastmod: number;
}

/** Every month with published articles, up to the month of `now`, newest first. */
export function sitemapMonths(db: IndexDb, now: number): Promise<SitemapMonth[]> {
  return db.all<SitemapMonth>(sitemapMonthsStatement(new Date(now).toISOString().slice(0, 7)));
}

/** Articles a month's sitemap part lists: slug and last modification. */
export function monthEntries(
  db: IndexDb, month: string, { now, offset, limit }: { now: number; offset: number; limit: number },
): Promise<{ slug: string; modifiedAt: number }[]> {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return db.all(monthEntriesStatement(Date.UTC(year, mon - 1, 1), Date.UTC(year, mon, 1), now, offset, limit));
}

/** Articles first published in the `windowMs` before `now`, newest first, at most `limit`: the news sitemap. */
export function recentEntries(
  db: IndexDb, { now, windowMs, limit }: { now: number; windowMs: number; limit: number },
): Promise<{ slug: string; title: string; date: string; language: string; hash: string }[]> {
  return db.all(recentEntriesStatement(now - windowMs, now, limit));
}
