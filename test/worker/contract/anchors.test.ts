// Deep pages stay bounded after any change: the keyset anchors behind page
// numbers move with every insert and removal in the writer's transaction,
// grow with the list, and the Cron repairs in bounded steps what no writer
// could: a list with no anchors (after a migration), and gaps that many
// backdated inserts widened. A reader's request never writes them.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../../src/index.ts';
import type { ArticleMeta } from '../../../src/content/article.ts';
import { indexRow } from '../../../src/storage/index-rows.ts';
import { ANCHOR_STEP } from '../../../src/storage/index-sql.ts';
import { switchableD1 } from '../support/bindings.ts';
import { fetchApp, titles, writeIndexRows } from '../support/helpers.ts';

const START = Date.UTC(2021, 0, 1);

function meta(n: number, at: number): ArticleMeta {
  return {
    slug: `wide/story-${String(n).padStart(5, '0')}`, title: `Wide story ${n}`,
    date: new Date(at).toISOString().replace('.000Z', 'Z'), authors: [], tags: [], section: 'wide', language: 'en', draft: false, corrections: [], aliases: [],
  };
}

async function index(metas: ArticleMeta[]): Promise<void> {
  for (let i = 0; i < metas.length; i += 250) {
    await writeIndexRows(metas.slice(i, i + 250).map((m) => indexRow(m, m.slug.replace(/\D/g, '').padStart(32, 'b'), '')));
  }
}

/** Each anchor of `list` with how many entries really come before it; and the widest gap between neighbours. */
async function anchorsOf(list: string) {
  const { results } = await env.INDEX.prepare(`SELECT a.ordinal,
  (SELECT count(*) FROM list_entries e WHERE e.list = a.list AND (e.published_at, e.slug) < (a.published_at, a.slug)) AS position
FROM page_anchors a WHERE a.list = ?1 ORDER BY a.ordinal`).bind(list).all<{ ordinal: number; position: number }>();
  const ordinals = results.map((r: { ordinal: number }) => r.ordinal);
  const total = (await env.INDEX.prepare('SELECT total FROM lists WHERE list = ?1').bind(list).first<number>('total'))!;
  const edges = [-1, ...ordinals, total];
  return { ordinals, exact: results.every((r: { ordinal: number; position: number }) => r.ordinal === r.position), widest: Math.max(...edges.slice(1).map((o, i) => o - edges[i]!)) };
}

const runCron = () => worker.scheduled(createScheduledController(), env);

beforeAll(async () => {
  // 3,000 articles an hour apart, oldest first.
  await index(Array.from({ length: 3000 }, (_, n) => meta(n, START + n * 3600_000)));
}, 60_000);

describe('anchors', () => {
  it('are added by the writes as the list grows, and are exact', async () => {
    const { ordinals, exact } = await anchorsOf('section:wide');
    expect(ordinals).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1, 3 * ANCHOR_STEP - 1]);
    expect(exact).toBe(true);
  });

  it('are never written by a reader\'s request, however deep the page', async () => {
    const { db, queries } = switchableD1(env.INDEX);
    await env.INDEX.prepare("DELETE FROM page_anchors WHERE list = 'section:wide'").run();
    const deep = await fetchApp('/sections/wide?page=100', { bindings: { INDEX: db, LIST_CACHE_MB: '0' } });
    expect(deep.status).toBe(200);
    expect(titles(await deep.text())).toHaveLength(20);
    expect(queries()).toBeLessThanOrEqual(2);
    expect((await anchorsOf('section:wide')).ordinals).toEqual([]);
  });

  it('come back through the Cron for a list that has none, in bounded steps', async () => {
    await env.INDEX.prepare("DELETE FROM page_anchors WHERE list = 'section:wide'").run();
    await runCron();
    const after = await anchorsOf('section:wide');
    expect(after.ordinals).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1, 3 * ANCHOR_STEP - 1]);
    expect(after.exact).toBe(true);
  });

  it('stay exact through 2,500 backdated inserts into one gap, and the Cron splits the gap they widened', async () => {
    // Between the 1,000th and the 1,001st article: every one lands below the second and third anchors.
    const from = START + 999 * 3600_000;
    await index(Array.from({ length: 2500 }, (_, i) => meta(10_000 + i, from + 1 + i)));
    const widened = await anchorsOf('section:wide');
    expect(widened.exact).toBe(true);
    expect(widened.ordinals).toEqual([ANCHOR_STEP - 1, 2 * ANCHOR_STEP - 1 + 2500, 3 * ANCHOR_STEP - 1 + 2500]);
    expect(widened.widest).toBeGreaterThan(2 * ANCHOR_STEP);
    for (let run = 0; run < 3; run++) await runCron();
    const split = await anchorsOf('section:wide');
    expect(split.exact).toBe(true);
    expect(split.widest).toBeLessThanOrEqual(2 * ANCHOR_STEP);
    // And every page of the section still shows every article once, newest first.
    const total = 5500, seen = new Set<string>();
    for (let page = 1; page <= total / 20; page++) for (const t of titles(await (await fetchApp(`/sections/wide?page=${page}`)).text())) seen.add(t);
    expect(seen.size).toBe(total);
  }, 60_000);
});
