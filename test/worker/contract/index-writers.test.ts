// Who keeps the D1 index in line with KV besides the editors' commands: a
// reader's view of an article (write-back), and the Cron Trigger's
// reconciler, in bounded, resumable runs. An editor's write outranks both
// for a while, since a reader may be seeing an older copy in KV's cache.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../../src/index.ts';
import { reconcile } from '../../../src/indexing/reconcile.ts';
import { ensureIndexed } from '../../../src/indexing/write-back.ts';
import { indexDb } from '../../../src/storage/index-db.ts';
import { removeSlugsStatements, writeRowsStatements, type WriteContext } from '../../../src/storage/index-sql.ts';
import { contentHash } from '../../../src/storage/kv-format.ts';
import { published } from '../../../support/published.ts';
import { articleFile, fetchApp, indexedHash, nextRevision, seedArticle, waitForIndexed } from '../support/helpers.ts';

const TRUST_MS = 180_000;
const reader: WriteContext = { writer: 'reader', trustMs: TRUST_MS };
const editor: WriteContext = { writer: 'editor', trustMs: 0 };

/** An article version as a reader would have read it from KV: with the revision its metadata records. */
async function version(slug: string, source: string, revision: number | null) {
  const article = await published(slug, source, revision);
  return { ...article, revision };
}

/** Moves a row's write time back, as if it had been written `ms` ago by D1's clock. */
async function age(slug: string, ms: number): Promise<void> {
  await env.INDEX.prepare('UPDATE articles SET indexed_at = indexed_at - ?2 WHERE slug = ?1').bind(slug, ms).run();
}

async function rowOf(slug: string) {
  return env.INDEX.prepare('SELECT hash, revision, indexed_by AS indexedBy FROM articles WHERE slug = ?1').bind(slug).first<{ hash: string; revision: number | null; indexedBy: string }>();
}


async function write(statements: ReturnType<typeof writeRowsStatements>): Promise<void> {
  await indexDb(env.INDEX, 5000).write(statements);
}

async function frontPageTitles(): Promise<string> {
  return (await fetchApp('/')).text();
}

async function runCron(vars: Record<string, string> = {}): Promise<void> {
  await worker.scheduled(createScheduledController(), { ...env, ...vars });
}

/** One reconciler run, as the Cron Trigger starts it, with the given limits. */
function reconcileOnce(limits: { pages: number; reads: number }) {
  return reconcile(env.ARTICLES, indexDb(env.INDEX, 5000), { ...limits, kvOptions: { cacheTtl: 60, timeoutMs: 5000 }, context: { writer: 'cron', trustMs: TRUST_MS } });
}

/** Every key in KV, with its metadata. */
async function allKeys(): Promise<KVNamespaceListKey<unknown>[]> {
  const keys: KVNamespaceListKey<unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown> = await env.ARTICLES.list(cursor ? { cursor } : {});
    keys.push(...page.keys);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}

async function reconcileState() {
  return env.INDEX.prepare('SELECT reconcile_cursor AS cursor, reconcile_after AS after, reconcile_passes AS passes FROM index_state').first<{
    cursor: string | null; after: string; passes: number;
  }>();
}

describe('a plain `wrangler kv key put`', () => {
  it('is served at once, and reaches the lists after its first view', async () => {
    const source = articleFile('title: Put by hand\ndate: 2026-10-01T09:00:00Z\nsection: local');
    await env.ARTICLES.put('local/by-hand', source);
    expect(await indexedHash('local/by-hand')).toBeNull();
    expect(await frontPageTitles()).not.toContain('Put by hand');
    expect((await fetchApp('/articles/local/by-hand')).status).toBe(200);
    await waitForIndexed('local/by-hand', await contentHash(source));
    expect(await frontPageTitles()).toContain('Put by hand');
    expect(await (await fetchApp('/sections/local')).text()).toContain('Put by hand');
  });

  it('updates the row when it replaces an article', async () => {
    await env.ARTICLES.put('local/replaced', articleFile('title: First by hand\ndate: 2026-10-02'));
    await fetchApp('/articles/local/replaced');
    await waitForIndexed('local/replaced');
    const second = articleFile('title: Second by hand\ndate: 2026-10-02');
    await env.ARTICLES.put('local/replaced', second);
    await fetchApp('/articles/local/replaced');
    await waitForIndexed('local/replaced', await contentHash(second));
    expect(await frontPageTitles()).toContain('Second by hand');
    expect(await frontPageTitles()).not.toContain('First by hand');
  });

  it('indexes a draft as a draft: its row exists, no list shows it', async () => {
    await env.ARTICLES.put('desk/hand-draft', articleFile('title: Hand draft\ndate: 2026-10-03\ndraft: true'));
    expect((await fetchApp('/articles/desk/hand-draft')).status).toBe(404);
    await waitForIndexed('desk/hand-draft');
    expect(await frontPageTitles()).not.toContain('Hand draft');
  });
});

describe('writers that cannot go backwards', () => {
  it('lets a reader fill a missing row or move it to a newer revision, never to an older one', async () => {
    const one = await version('desk/revised', articleFile('title: One\ndate: 2026-10-04'), await nextRevision());
    const two = await version('desk/revised', articleFile('title: Two\ndate: 2026-10-04'), await nextRevision());
    const db = indexDb(env.INDEX, 5000);
    expect(await ensureIndexed(db, one, reader)).toBe('written');
    expect(await ensureIndexed(db, two, reader)).toBe('written');
    expect(await ensureIndexed(db, one, reader)).toBe('deferred');
    expect(await rowOf('desk/revised')).toEqual({ hash: two.hash, revision: two.revision, indexedBy: 'reader' });
  });

  it('lets an editor\'s write claim the row, even one a reader wrote first at the same hash', async () => {
    const revision = await nextRevision();
    const published = await version('desk/claimed', articleFile('title: Claimed\ndate: 2026-10-04'), revision);
    // Between the editor's KV write and its D1 write, a reader saw the new file and wrote its row.
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), published, reader)).toBe('written');
    expect((await rowOf('desk/claimed'))!.indexedBy).toBe('reader');
    await write(writeRowsStatements([published.row], editor));
    expect(await rowOf('desk/claimed')).toEqual({ hash: published.hash, revision, indexedBy: 'editor' });
    // A stale isolate still holding the version before it cannot take the row back.
    const older = await version('desk/claimed', articleFile('title: Before\ndate: 2026-10-04'), revision - 1);
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), older, reader)).toBe('deferred');
    expect((await rowOf('desk/claimed'))!.hash).toBe(published.hash);
  });

  it('judges a plain upload (no revision) by the trust window on D1\'s clock', async () => {
    const edited = await version('desk/edited', articleFile('title: As published\ndate: 2026-10-04'), await nextRevision());
    const plain = await version('desk/edited', articleFile('title: Put by hand\ndate: 2026-10-04'), null);
    await write(writeRowsStatements([edited.row], editor));
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), plain, reader)).toBe('deferred');
    expect(await indexedHash('desk/edited')).toBe(edited.hash);
    // Once every KV cache has caught up with the editor's write, what readers see is the truth again.
    await age('desk/edited', TRUST_MS + 1000);
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), plain, reader)).toBe('written');
    expect(await indexedHash('desk/edited')).toBe(plain.hash);
  });

  it('does not bring back an article an editor removed, unless it is a newer version', async () => {
    const gone = await version('desk/withdrawn', articleFile('title: Withdrawn\ndate: 2026-10-05'), await nextRevision());
    await write(writeRowsStatements([gone.row], editor));
    await write(removeSlugsStatements(['desk/withdrawn'], editor, await nextRevision()));
    expect(await indexedHash('desk/withdrawn')).toBeNull();
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), gone, reader)).toBe('deferred');
    expect(await indexedHash('desk/withdrawn')).toBeNull();
    // A version published after the removal (KV written, its row not yet) is another matter.
    const back = await version('desk/withdrawn', articleFile('title: Back again\ndate: 2026-10-05'), await nextRevision());
    expect(await ensureIndexed(indexDb(env.INDEX, 5000), back, reader)).toBe('written');
    expect(await indexedHash('desk/withdrawn')).toBe(back.hash);
  });

  it('labels each writer\'s rows as its own: editor, reader, cron', async () => {
    await write(writeRowsStatements([(await version('desk/by-editor', articleFile('title: E\ndate: 2026-10-06'), await nextRevision())).row], editor));
    await ensureIndexed(indexDb(env.INDEX, 5000), await version('desk/by-reader', articleFile('title: R\ndate: 2026-10-06'), null), reader);
    await env.ARTICLES.put('desk/by-cron', articleFile('title: C\ndate: 2026-10-06'));
    await runCron();
    expect((await rowOf('desk/by-editor'))!.indexedBy).toBe('editor');
    expect((await rowOf('desk/by-reader'))!.indexedBy).toBe('reader');
    expect((await rowOf('desk/by-cron'))!.indexedBy).toBe('cron');
  });

  it('never ends a round at the old version, however stale readers race a publish', async () => {
    // Each round: the article is at revision r in KV and D1. An editor publishes r+1 (KV, then D1);
    // meanwhile readers who see the new file write it back, and stale readers who still see r write
    // that back, in a different order every round.
    const slug = 'desk/raced';
    let current = await version(slug, articleFile('title: Round 0\ndate: 2026-10-07'), await nextRevision());
    await env.ARTICLES.put(slug, current.source, { metadata: current.metadata });
    await write(writeRowsStatements([current.row], editor));
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 4)));
    const rounds = 60;
    let oldEnds = 0;
    for (let round = 1; round <= rounds; round++) {
      // Publishes are minutes apart: the last one's row is older than the trust window.
      await age(slug, TRUST_MS + 1000);
      const stale = current;
      const next = await version(slug, articleFile(`title: Round ${round}\ndate: 2026-10-07`), await nextRevision());
      const db = () => indexDb(env.INDEX, 5000);
      const editorPublishes = (async () => {
        await pause();
        await env.ARTICLES.put(slug, next.source, { metadata: next.metadata });
        await pause();
        await write(writeRowsStatements([next.row], editor));
      })();
      const readers = Array.from({ length: 6 }, async (_, i) => {
        await pause();
        // Half see the new file (KV already caught up where they are), half the old one.
        await ensureIndexed(db(), i % 2 ? next : stale, reader).catch(() => 'deferred');
        await pause();
        await ensureIndexed(db(), stale, reader).catch(() => 'deferred');
        // And an isolate still holding the old copy tries again once the publish is done.
        await editorPublishes;
        await pause();
        await ensureIndexed(db(), stale, reader).catch(() => 'deferred');
      });
      await Promise.all([editorPublishes, ...readers]);
      const row = await rowOf(slug);
      if (row!.hash !== next.hash) oldEnds++;
      current = next;
    }
    expect(oldEnds).toBe(0);
    expect(await rowOf(slug)).toMatchObject({ hash: current.hash, revision: current.revision, indexedBy: 'editor' });
  }, 60_000);
});

describe('the Cron Trigger reconciler', () => {
  it('indexes plain uploads, fixes outdated rows, and removes rows whose key is gone or whose file is broken', async () => {
    const plain = articleFile('title: Only in KV\ndate: 2026-09-01');
    await env.ARTICLES.put('recon/plain', plain);
    const now = articleFile('title: Current text\ndate: 2026-09-02');
    const old = await published('recon/outdated', articleFile('title: Outdated text\ndate: 2026-09-02'));
    await env.ARTICLES.put('recon/outdated', now);
    const orphan = await published('recon/orphan', articleFile('title: Key deleted by hand\ndate: 2026-09-03'));
    const broken = await published('recon/broken', articleFile('title: Broken later\ndate: 2026-09-04'));
    await env.ARTICLES.put('recon/broken', '---\ntitle: [unclosed\n---\nBody');
    await write(writeRowsStatements([old.row, orphan.row, broken.row], editor));
    for (const slug of ['recon/outdated', 'recon/orphan', 'recon/broken']) await age(slug, 10 * TRUST_MS);

    await runCron();
    expect(await indexedHash('recon/plain')).toBe(await contentHash(plain));
    expect(await indexedHash('recon/outdated')).toBe(await contentHash(now));
    expect(await indexedHash('recon/orphan')).toBeNull();
    expect(await indexedHash('recon/broken')).toBeNull();
    const page = await frontPageTitles();
    expect(page).toContain('Only in KV');
    expect(page).toContain('Current text');
    expect(page).not.toContain('Key deleted by hand');
    expect((await reconcileState())!.passes).toBeGreaterThan(0);
  });

  it('leaves alone what an editor wrote within the trust window', async () => {
    const fresh = await published('recon/just-published', articleFile('title: Just published\ndate: 2026-09-05'));
    await write(writeRowsStatements([fresh.row], editor));
    await runCron(); // its KV write has not "arrived" here yet: there is no key
    expect(await indexedHash('recon/just-published')).toBe(fresh.hash);
  });

  describe('over more than one KV page', () => {
    // 1,050 keys with publish metadata (two KV list pages), 6 without.
    beforeAll(async () => {
      const writes: Promise<void>[] = [];
      for (let i = 0; i < 1050; i++) {
        const article = await published(`bulk/k-${String(i).padStart(4, '0')}`, articleFile(`title: Bulk ${i}\ndate: 2026-08-01`));
        writes.push(env.ARTICLES.put(article.slug, article.source, { metadata: article.metadata }));
      }
      for (let i = 0; i < 6; i++) writes.push(env.ARTICLES.put(`bulk/plain-${i}`, articleFile(`title: Plain ${i}\ndate: 2026-08-02`)));
      await Promise.all(writes);
    }, 60_000);

    it('does bounded work per run and resumes where it stopped', async () => {
      await env.INDEX.prepare("UPDATE index_state SET reconcile_cursor = NULL, reconcile_after = '', reconcile_passes = 0").run();
      const indexedBulk = async () => (await env.INDEX.prepare("SELECT count(*) AS n FROM articles WHERE slug LIKE 'bulk/%'").first<number>('n'))!;

      // One KV page per run, and at most four reads: the first run stops inside page one.
      const small = { RECONCILE_PAGES: '1', RECONCILE_READS: '4' };
      await runCron(small);
      let state = (await reconcileState())!;
      expect(state.cursor).toBeNull();
      expect(state.after).toMatch(/^bulk\/k-0003$/);
      expect(await indexedBulk()).toBe(4);
      for (let run = 0; run < 400 && (await reconcileState())!.passes === 0; run++) await runCron(small);
      state = (await reconcileState())!;
      expect(state.passes).toBe(1);
      expect(await indexedBulk()).toBe(1056);
      // Everything is current now: a whole pass reads only the files whose keys carry no publish metadata.
      const keys = await allKeys();
      const total = keys.length, withoutMetadata = keys.filter((k) => !k.metadata).length;
      expect(withoutMetadata).toBeGreaterThanOrEqual(6);
      const report = await reconcileOnce({ pages: 5, reads: 100 });
      expect(report).toMatchObject({ passCompleted: true, read: withoutMetadata, written: 0, removed: 0, checked: total });
    }, 120_000);

    it('keeps its place across runs, so a pass checks each key once however many runs it takes', async () => {
      await env.INDEX.prepare("UPDATE index_state SET reconcile_cursor = NULL, reconcile_after = '', reconcile_passes = 0").run();
      let checked = 0, runs = 0;
      let report: Awaited<ReturnType<typeof reconcileOnce>>;
      do {
        report = await reconcileOnce({ pages: 1, reads: 300 });
        checked += report.checked;
        runs++;
      } while (!report.passCompleted && runs < 50);
      expect(report.passCompleted).toBe(true);
      expect(runs).toBeGreaterThan(1);
      expect(checked).toBe((await allKeys()).length);
    });

  });
});

describe('a publish through the editors\' path', () => {
  it('lists an article as soon as its row is written', async () => {
    await seedArticle('desk/through-publish', articleFile('title: Published properly\ndate: 2026-10-07'));
    expect(await frontPageTitles()).toContain('Published properly');
  });
});
