/**
 * `/corrections` and its Atom feed: the corrections of published articles,
 * newest first, from the D1 index, served like every list (an ETag from the
 * index version, purged with the index). A publish that adds a correction
 * changes the article, and so the index version and these pages.
 */
import type { Handler } from 'hono';
import { CORRECTIONS_TAG, INDEX_TAG } from '../content/cache-tags.ts';
import { renderNote } from '../content/markdown.ts';
import type { AppEnv } from '../http/app-env.ts';
import { entityTag } from '../http/cache-headers.ts';
import { parsePage } from '../http/request.ts';
import { notFound } from '../http/respond.ts';
import type { IndexDb } from '../storage/index-db.ts';
import { FRONT_LIST } from '../storage/index-rows.ts';
import { correctionsStatement } from '../storage/index-sql.ts';
import { renderCorrectionsPage } from '../views/corrections-page.ts';
import { renderCorrectionsFeed, type CorrectionEntry } from '../views/feeds.ts';
import { serveListDocument } from './list-document.ts';

const TAGS = [INDEX_TAG, CORRECTIONS_TAG];

interface CorrectionRow {
  slug: string;
  position: number;
  correctedDate: string;
  text: string;
  title: string;
  date: string;
  language: string;
  section: string | null;
}

async function corrections(db: IndexDb, now: number, offset: number, limit: number): Promise<CorrectionEntry[]> {
  const rows = await db.all<CorrectionRow>(correctionsStatement(now, offset, limit));
  return rows.map(({ text, section, ...row }) => ({ ...row, html: renderNote(text).html, ...(section !== null && { section }) }));
}

/** `/corrections?page=N`. */
export const correctionsPage: Handler<AppEnv> = (c) => {
  const config = c.get('config');
  const page = parsePage(c.req.query('page'));
  if (page === null) return notFound(c);
  return serveListDocument(c, FRONT_LIST, `corrections|${page}`, 'text/html; charset=utf-8', TAGS, (state) => {
    const pageCount = Math.max(1, Math.ceil(state.corrections / config.indexPageSize));
    if (page > pageCount) return null;
    return {
      etag: entityTag(state.version, 'corrections', `p${page}`, c.get('version')),
      render: async (db) => {
        const found = await corrections(db, c.get('now'), (page - 1) * config.indexPageSize, config.indexPageSize);
        if (found.length === 0 && page > 1) return null;
        return c.get('meter').render(() => renderCorrectionsPage({ site: c.get('site'), corrections: found, page, pageCount }));
      },
    };
  });
};

/** `/corrections/feed.xml`: the newest corrections. */
export const correctionsFeed: Handler<AppEnv> = (c) => {
  const config = c.get('config');
  return serveListDocument(c, FRONT_LIST, 'corrections-feed', 'application/atom+xml; charset=utf-8', TAGS, (state) => ({
    etag: entityTag(state.version, 'corrections-feed', c.get('version')),
    render: async (db) => {
      const found = await corrections(db, c.get('now'), 0, config.feedSize);
      return c.get('meter').render(() => renderCorrectionsFeed(c.get('site'), found));
    },
  }));
};
