/**
 * Search: what a reader typed, turned into words and never into FTS5 syntax.
 * Only runs of letters, digits and combining marks survive, each quoted as a
 * plain term, so quotes, `*` (prefix queries cost seconds), `NEAR(…)`,
 * `column:`, `AND`/`OR`/`NOT`, `^` and brackets are just more words or
 * nothing. The query is capped in length and in terms, and its normalised
 * form (lower case, one space between words) is what responses vary on.
 */
import type { IndexDb } from '../storage/index-db.ts';
import { searchStatement } from '../storage/index-sql.ts';
import type { ListEntry } from '../views/list-page.ts';
import { toEntry, type CardRow } from './entries.ts';

/** Characters of the query read at all: the rest of a 10 KB paste is ignored. */
export const MAX_QUERY_CHARS = 200;
/** Words a query may have. */
export const MAX_TERMS = 8;
/** Characters of one word. */
export const MAX_TERM_CHARS = 40;

export interface SearchQuery {
  /** The words, lower case, joined by single spaces: the cache identity of the query. */
  normalised: string;
  /** The FTS5 expression, or null when nothing searchable was typed. */
  match: string | null;
}

/** The searchable words of a raw `?q=` value. */
export function searchQuery(raw: string | undefined): SearchQuery {
  const text = (raw ?? '').slice(0, MAX_QUERY_CHARS).normalize('NFKC').toLowerCase();
  const terms: string[] = [];
  for (const [word] of text.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) {
    // A run of marks alone (a stray accent) is no word.
    if (!/[\p{L}\p{N}]/u.test(word)) continue;
    const term = [...word].slice(0, MAX_TERM_CHARS).join('');
    if (!terms.includes(term)) terms.push(term);
    if (terms.length === MAX_TERMS) break;
  }
  return { normalised: terms.join(' '), match: terms.length ? terms.map((t) => `"${t}"`).join(' ') : null };
}

/** One search result: a card, plus a snippet of the body with the matched words between U+0002 and U+0003. */
export type SearchResult = ListEntry & { snippet: string };

/** A page of results and how many there are (counted among the most recent candidates, see `SEARCH_CANDIDATES`). */
export async function searchArticles(
  db: IndexDb, match: string, { now, page, size }: { now: number; page: number; size: number },
): Promise<{ results: SearchResult[]; total: number }> {
  const rows = await db.all<CardRow & { snippet: string; total: number }>(searchStatement(match, now, (page - 1) * size, size));
  return { results: rows.map((r) => ({ ...toEntry(r), snippet: r.snippet })), total: rows[0]?.total ?? 0 };
}
