/**
 * What an edition's front shows: its containers filled from the index in one
 * batch, whatever their number (the curated articles in one read, one read
 * per query container).
 *
 * Each article shows at most once per front. Curated placements win: every
 * curated article is kept for the first container that curates it, and the
 * query containers, in order, fill around them. A curated draft, unpublished
 * or scheduled article is not in the index's visible rows, so it never shows;
 * a scheduled one appears at its time (the list state's next scheduled time
 * ends every lifetime and memo of the front before it).
 */
import type { Container } from '../content/fronts.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { authorList, sectionList, tagList } from '../storage/index-rows.ts';
import { curatedEntriesStatement, newestEntriesStatement, type Statement } from '../storage/index-sql.ts';
import type { ListEntry } from '../views/list-page.ts';
import { toEntry, type CardRow } from './entries.ts';

/** One container as the page shows it. */
export interface FilledContainer {
  container: Container;
  entries: ListEntry[];
}

const LISTS = { section: sectionList, topic: tagList, author: authorList } as const;

/**
 * Fills `containers` from `db` in one batch. Containers left empty (every
 * article they would show is elsewhere, or not yet visible) are dropped.
 */
export async function fillFront(
  db: IndexDb, containers: Container[], now: number,
): Promise<FilledContainer[]> {
  const curatedSlugs = [...new Set(containers.flatMap((c) => c.articles))];
  // A query container may meet, before its own count, every curated article and every article shown above it.
  let above = curatedSlugs.length;
  const queries: Statement[] = [];
  for (const c of containers) {
    if (!c.query) continue;
    queries.push(newestEntriesStatement(LISTS[c.query.kind](c.query.key), now, 0, c.count + above));
    above += c.count;
  }
  const [curated, ...filled] = await db.batch([
    curatedEntriesStatement(curatedSlugs, now),
    ...queries,
  ]);
  const visible = new Map((curated as CardRow[]).map((row) => [row.slug, toEntry(row)]));
  // Curated placements first: each visible curated article belongs to the first container that names it.
  const placed = new Set<string>();
  const chosen = containers.map((c) => c.articles.flatMap((slug) => {
    const entry = visible.get(slug);
    if (!entry || placed.has(slug)) return [];
    placed.add(slug);
    return [entry];
  }));
  let q = 0;
  containers.forEach((c, i) => {
    if (!c.query) return;
    const rows = (filled[q++] ?? []) as CardRow[];
    const entries = chosen[i]!;
    for (const row of rows) {
      if (entries.length >= c.count) break;
      if (placed.has(row.slug)) continue;
      placed.add(row.slug);
      entries.push(toEntry(row));
    }
  });
  return containers.map((container, i) => ({ container, entries: chosen[i]! })).filter((f) => f.entries.length > 0);
}
