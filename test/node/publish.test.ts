// The editors' commands against the real wrangler CLI, real local KV and the
// real local D1 index, checked by reading the result back through the bundled
// worker in workerd. Every test starts from its own desk (articles folder and
// local state), so each can run alone and in any order.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/cli/content.ts';
import { listExisting } from '../../src/cli/publish.ts';
import { reindex } from '../../src/cli/reindex.ts';
import { unpublish } from '../../src/cli/unpublish.ts';
import { runOrThrow, type WranglerRunner } from '../../src/cli/wrangler.ts';
import { article, desks, recordingRunner, wrangler } from '../../support/desk.ts';
import { ROOT } from '../../support/worker-server.ts';

const run = promisify(execFile);
let newDesk: Awaited<ReturnType<typeof desks>>['newDesk'];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ newDesk, cleanup } = await desks());
});

afterAll(async () => {
  await cleanup();
});

describe('npm run publish', () => {
  it('uploads valid articles, their media and banner copy, readable through the worker', async () => {
    const desk = await newDesk();
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+news\/harbour/);
    expect(output).toMatch(/added\s+world\/americas\/gift/);
    expect(output).toMatch(/added\s+\/media\/ferry\.svg/);
    expect(output).toMatch(/added\s+config\/banners/);
    expect(output).toContain('3 added, 0 updated, 0 unchanged');
    expect(output).toContain('Index: 3 rows written');
    expect([...(await desk.indexed()).keys()].sort()).toEqual(['desk/draft', 'news/harbour', 'world/americas/gift']);
    const previewLink = /\/preview\/desk\/draft\?expires=\d+&sig=[\w-]+/.exec(output)?.[0];
    expect(previewLink).toBeDefined();

    await desk.withWorker(async (worker) => {
      const page = await fetch(`${worker.url}/articles/news/harbour`, { headers: { 'CF-IPCountry': 'GB' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Harbour reopens');
      expect(html).toContain('Editors wrote this');
      expect((await fetch(`${worker.url}/articles/world/americas/gift`)).status).toBe(200);
      expect((await fetch(`${worker.url}/media/ferry.svg`)).status).toBe(200);
      const index = await (await fetch(`${worker.url}/`)).text();
      expect(index).toContain('Harbour reopens');
      expect(index).not.toContain('Secret draft');
      expect(await (await fetch(`${worker.url}/sitemaps/articles-2026-11.xml`)).text()).toContain('/articles/world/americas/gift</loc>');
      expect((await fetch(`${worker.url}/articles/desk/draft`)).status).toBe(404);
      const preview = await fetch(worker.url + previewLink);
      expect(preview.status).toBe(200);
      expect(await preview.text()).toContain('Draft text.');
    });
  });

  it('skips everything on a second run, writing nothing', async () => {
    const desk = await newDesk({ published: true });
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    expect(code, output).toBe(0);
    for (const slug of ['news/harbour', 'world/americas/gift', 'desk/draft']) expect(output).toMatch(new RegExp(`unchanged\\s+${slug}`));
    expect(output).toContain('0 added, 0 updated, 3 unchanged');
    expect(output).toContain('Index: 0 rows written');
    // Four reads (the keys, the rows, the aliases among the slugs, the media R2 holds), and no write.
    expect(commands).toEqual(['kv key list', 'd1 execute INDEX', 'd1 execute INDEX', 'd1 execute INDEX']);
  });

  it('claims a row a reader wrote first at the same hash, and gives every upload one new revision', async () => {
    const desk = await newDesk({ published: true });
    // A reader saw the new file between the KV write and the D1 write, and wrote the row first.
    await desk.sql("UPDATE articles SET indexed_by = 'reader' WHERE slug = 'news/harbour'");
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/unchanged\s+news\/harbour\s+\(index row updated\)/);
    const row = (await desk.sql("SELECT indexed_by AS by, revision FROM articles WHERE slug = 'news/harbour'")).stdout;
    expect(row).toContain('"by": "editor"');
    const before = Number(/"revision": (\d+)/.exec(row)![1]);
    await desk.write('news/harbour.md', article('Harbour reopens, again', 'section: local\n'));
    await desk.write('world/americas/gift.md', article('A second gift'));
    expect((await desk.publish()).code).toBe(0);
    const revisions = (await desk.sql("SELECT slug, revision FROM articles WHERE slug IN ('news/harbour', 'world/americas/gift') ORDER BY slug")).stdout;
    const [harbour, gift] = [...revisions.matchAll(/"revision": (\d+)/g)].map((m) => Number(m[1]));
    expect(harbour).toBe(gift);
    expect(harbour).toBeGreaterThan(before);
    const metadata = [...(await listExisting(wrangler, desk.target))].find(([key]) => key === 'news/harbour')![1];
    expect(metadata.revision).toBe(harbour);
  });

  it('uploads nothing when any file is invalid, and says where', async () => {
    const desk = await newDesk();
    await desk.write('news/fresh.md', article('A fresh and valid story'));
    const bad = await desk.write('news/bad.md', '---\ntitle: Bad\ndate: last tuesday\n---\n\n[x](javascript:alert(1))\n');
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    expect(code).toBe(1);
    const relative = path.relative(process.cwd(), bad);
    expect(output).toContain(`${relative}:3: date must be an ISO 8601 date`);
    expect(output).toContain('nothing was uploaded');
    expect(commands).toEqual([]);
    expect((await listExisting(wrangler, desk.target)).size).toBe(0);
    expect((await desk.indexed()).size).toBe(0);
  });

  it('publishes a fronts file: a UK and a US reader get different fronts, and each edition its own URL', async () => {
    const desk = await newDesk({ published: true });
    await desk.write('fronts.yaml', `editions:
  uk: { title: UK edition, regions: [UK] }
  us: { title: US edition, regions: [US, CA] }
fronts:
  uk:
    - { title: Top stories, articles: [news/harbour] }
  us:
    - { title: Top stories, articles: [world/americas/gift] }
`);
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+config\/fronts \(editions and fronts\)/);
    await desk.withWorker(async (worker) => {
      const uk = await (await fetch(`${worker.url}/`, { headers: { 'CF-IPCountry': 'GB' } })).text();
      const us = await (await fetch(`${worker.url}/`, { headers: { 'CF-IPCountry': 'US' } })).text();
      expect(uk).toContain('<p class="edition-current">UK edition</p>');
      expect(uk).toContain('Harbour reopens');
      expect(uk).not.toContain('A gift in the delta');
      expect(us).toContain('<p class="edition-current">US edition</p>');
      expect(us).toContain('A gift in the delta');
      expect(us).not.toContain('Harbour reopens');
      for (const country of ['GB', 'US']) {
        expect(await (await fetch(`${worker.url}/editions/us`, { headers: { 'CF-IPCountry': country } })).text()).toContain('A gift in the delta');
      }
    });
    // The index records the file an editor published, for the worker's freshness check.
    expect((await desk.sql("SELECT count(*) AS n FROM config_files WHERE key = 'config/fronts'")).stdout).toMatch(/"n":\s*1/);
  });

  it('refuses a bad fronts file with file:line errors and uploads nothing', async () => {
    const desk = await newDesk();
    const fronts = await desk.write('fronts.yaml', `editions:
  uk: { title: UK edition, regions: [UK, MARS] }
fronts:
  uk:
    - title: Top stories
      articles: [news/harbour, news/no-such-story]
    - title: Lots
      section: local
      count: 99
  us:
    - { title: Top, section: world }
`);
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    expect(code).toBe(1);
    const relative = path.relative(process.cwd(), fronts);
    expect(output).toContain(`${relative}:2: editions.uk.regions.1 "MARS" is not a region group`);
    expect(output).toContain(`${relative}:6: curates "news/no-such-story", which is not an article`);
    expect(output).toContain(`${relative}:9: fronts.uk.1.count must be a whole number from 1 to 12`);
    expect(output).toContain(`${relative}:10: fronts.us is not an edition (editions: uk)`);
    expect(output).toContain('nothing was uploaded');
    expect(commands).toEqual([]);
  });

  it('reports unsafe links, missing alt text and deep nesting in the body', async () => {
    const desk = await newDesk();
    const file = await desk.write('news/lint.md', article('Lint', '', '[x](javascript:alert(1))\n\n![](/media/ferry.svg)\n\n' + '>'.repeat(40) + ' deep'));
    const { code, output } = await desk.publish([file]);
    expect(code).toBe(1);
    const relative = path.relative(process.cwd(), file);
    expect(output).toContain(`${relative}:10: markdown nests 40 levels deep; the limit is 16`);
    await desk.write('news/lint.md', article('Lint', '', '[x](javascript:alert(1))\n\n![](/media/ferry.svg)'));
    const second = await desk.publish([file]);
    expect(second.output).toContain(`${relative}:6: link to "javascript:alert(1)" is not allowed`);
    expect(second.output).toContain(`${relative}:8: image /media/ferry.svg has no alt text`);
  });

  it('updates a changed article and adds a new one', async () => {
    const desk = await newDesk({ published: true });
    await desk.write('news/harbour.md', article('Harbour reopens to crowds', 'image:\n  src: /media/ferry.svg\n  alt: A ferry\n'));
    await desk.write('news/fresh.md', article('A fresh and valid story'));
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/updated\s+news\/harbour/);
    expect(output).toMatch(/added\s+news\/fresh/);
    expect(output).toMatch(/unchanged\s+world\/americas\/gift/);
    await desk.withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/articles/news/harbour`)).text()).toContain('Harbour reopens to crowds');
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('A fresh and valid story');
    });
  });

  it('refuses to change the bytes behind a published media name', async () => {
    const desk = await newDesk({ published: true });
    await desk.write('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 1"/>');
    const { code, output } = await desk.publish();
    expect(code).toBe(1);
    expect(output).toContain('media/ferry.svg is already published with different content');
  });

  it('writes the index in one execution: when its last statement fails, no row changes', async () => {
    const desk = await newDesk({ published: true });
    await desk.write('batch/one.md', article('Batch one'));
    await desk.write('batch/two.md', article('Batch two', 'tags: [batch]\nauthors: [Ann Other]\n'));
    // The real wrangler, but the index file it is given ends with a statement that fails.
    const failing: WranglerRunner = async (args) => {
      const file = args[args.indexOf('--file') + 1];
      if (args[0] === 'd1' && args.includes('--file') && file) await writeFile(file, `${await readFile(file, 'utf8')}INSERT INTO no_such_table VALUES (1);\n`);
      return wrangler(args);
    };
    const before = await desk.indexed();
    const { code, output } = await desk.publish([path.join(desk.content, 'batch')], { runner: failing });
    expect(code).toBe(1);
    expect(output).toContain('KV was updated, but the index in local D1');
    expect(await desk.indexed()).toEqual(before);
    // Running the same command again writes the index and skips KV.
    const again = await desk.publish([path.join(desk.content, 'batch')]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/unchanged\s+batch\/one\s+\(index row added\)/);
    expect(again.output).toContain('Index: 2 rows written');
    expect((await desk.indexed()).has('batch/two')).toBe(true);
    await desk.withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Batch two');
    });
  });

  it('says when an article is scheduled, and keeps it out of the lists until then', async () => {
    const desk = await newDesk();
    const file = await desk.write('later/dawn.md', article('Not before dawn').replace('2026-11-20T08:00:00Z', '2099-01-01T06:00:00Z'));
    const { code, output } = await desk.publish([file]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+later\/dawn\s+\(scheduled for 2099-01-01T06:00:00.000Z\)/);
    expect((await desk.indexed()).has('later/dawn')).toBe(true);
    await desk.withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/later/dawn`)).status).toBe(404);
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Not before dawn');
    });
  });

  it('tells an editor to migrate an index that has no tables', async () => {
    const desk = await newDesk();
    const { code, output } = await desk.publish([], { persistTo: path.join(desk.dir, 'unmigrated') });
    expect(code).toBe(1);
    expect(output).toContain('has no tables yet: run `npm run migrate -- --local` first');
  });
});

describe('npm run unpublish', () => {
  it('removes an article from its page and from the index', async () => {
    const desk = await newDesk({ published: true });
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/harbour', 'news/never-existed'], target: desk.target, runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1); // one of the two was not there
    expect(lines.join('\n')).toMatch(/removed\s+news\/harbour/);
    expect(lines.join('\n')).toMatch(/not found\s+news\/never-existed/);
    expect((await desk.indexed()).has('news/harbour')).toBe(false);
    await desk.withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/news/harbour`)).status).toBe(404);
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Harbour reopens');
      expect(await (await fetch(`${worker.url}/sitemaps/articles-2026-11.xml`)).text()).not.toContain('news/harbour');
    });
  });

  it('removes a row whose key is already gone from KV', async () => {
    const desk = await newDesk({ published: true });
    await runOrThrow(wrangler, ['kv', 'key', 'delete', 'world/americas/gift', '--binding', 'ARTICLES', '--local', '--persist-to', desk.state]);
    expect((await desk.indexed()).has('world/americas/gift')).toBe(true);
    const lines: string[] = [];
    expect(await unpublish({ slugs: ['world/americas/gift'], target: desk.target, runner: wrangler, log: (l) => lines.push(l) })).toBe(0);
    expect((await desk.indexed()).has('world/americas/gift')).toBe(false);
  });

  it('deletes nothing when a slug is malformed', async () => {
    const desk = await newDesk({ published: true });
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/harbour', '../etc'], target: desk.target, runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect((await listExisting(wrangler, desk.target)).has('news/harbour')).toBe(true);
    expect((await desk.indexed()).has('news/harbour')).toBe(true);
  });
});

describe('plain wrangler', () => {
  it('kv key put of one file renders at once and reaches the index when first viewed', async () => {
    const desk = await newDesk();
    await desk.put('plain/story', await desk.write('plain/story.md', article('Put by plain wrangler')));
    await desk.withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Put by plain wrangler');
      expect(await (await fetch(`${worker.url}/articles/plain/story`)).text()).toContain('Put by plain wrangler');
      for (let i = 0; i < 100 && !(await (await fetch(`${worker.url}/`)).text()).includes('Put by plain wrangler'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Put by plain wrangler');
    });
  });

  it('kv key put reaches the index through the Cron Trigger, without a view', async () => {
    const desk = await newDesk();
    await desk.put('plain/unread', await desk.write('plain/unread.md', article('Put and never read')));
    await desk.withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Put and never read');
      await (await worker.mf.getWorker()).scheduled({ cron: '* * * * *' });
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Put and never read');
    });
  });
});

describe('npm run reindex', () => {
  it('brings the index in line with KV: drops rows with no key, restores missing ones, reports broken files', async () => {
    const desk = await newDesk({ published: true });
    await desk.put('later/dawn', await desk.write('later/dawn.md', article('Not before dawn').replace('2026-11-20T08:00:00Z', '2099-01-01T06:00:00Z')));
    await desk.put('plain/unread', await desk.write('plain/unread.md', article('Put and never read')));
    await desk.sql("DELETE FROM articles WHERE slug = 'news/harbour'");
    await desk.sql("INSERT INTO articles (slug, hash, title, date, published_at, modified_at, language, draft, indexed_at, indexed_by) VALUES ('ghost/row', 'x', 'Ghost', '2026-01-01', 0, 0, 'en', 0, 0, 'editor')");
    await desk.put('broken/file', await desk.write('broken/file.txt', '---\ntitle: [oops\n---\nBody\n'));
    const lines: string[] = [];
    const code = await reindex({ target: desk.target, runner: wrangler, log: (l) => lines.push(l) });
    const output = lines.join('\n');
    expect(code, output).toBe(1); // one file could not be indexed
    expect(output).toMatch(/skipped\s+broken\/file: line 3: front matter:/);
    expect(output).toMatch(/Reindexed local D1 .* 3 row\(s\) written \(0 draft, 1 scheduled\), 1 removed, 1 skipped as invalid; the rest were current\./);
    const rows = await desk.indexed();
    expect(rows.has('ghost/row')).toBe(false);
    expect(rows.has('news/harbour')).toBe(true);
    expect(rows.has('plain/unread')).toBe(true);
    const keys = [...(await listExisting(wrangler, desk.target)).keys()].filter((k) => !k.startsWith('media/') && !k.startsWith('config/') && k !== 'broken/file');
    expect([...rows.keys()].sort()).toEqual(keys.sort());
    await desk.withWorker(async (worker) => {
      const front = await (await fetch(`${worker.url}/`)).text();
      expect(front).toContain('Harbour reopens');
      expect(front).toContain('Put and never read');
    });
    // Run again, nothing to do: it writes nothing.
    const { runner, commands } = recordingRunner();
    const again: string[] = [];
    await reindex({ target: desk.target, runner, log: (l) => again.push(l) });
    expect(again.join('\n')).toContain('0 row(s) written');
    expect(commands.filter((c) => c === 'd1 execute INDEX' )).toHaveLength(2); // the saved place and one page of rows: reads only
  });

  it('works in small transactions, resumes where a failure stopped it, and keeps the tombstones', async () => {
    const desk = await newDesk({ published: true });
    for (let i = 0; i < 6; i++) await desk.put(`plain/p${i}`, await desk.write(`plain/p${i}.md`, article(`Plain ${i}`)));
    const gone = await desk.unpublish(['world/americas/gift']);
    expect(gone.code, gone.output).toBe(0);
    // The third write fails: the first two batches are in, and the place is saved with them.
    let writes = 0;
    const failing: WranglerRunner = async (args) => {
      if (args[0] === 'd1' && args.includes('--file') && ++writes === 3) return { code: 1, stdout: '', stderr: 'D1 is busy' };
      return wrangler(args);
    };
    await expect(reindex({ target: desk.target, runner: failing, log: () => {}, batch: 2 })).rejects.toThrow(/D1 is busy/);
    const saved = (await desk.sql('SELECT reindex_after AS after FROM index_state')).stdout;
    expect(saved).toMatch(/"after": "[a-z/0-9-]+"/);
    const lines: string[] = [];
    expect(await reindex({ target: desk.target, runner: wrangler, log: (l) => lines.push(l), batch: 2 })).toBe(0);
    expect(lines.join('\n')).toMatch(/Resuming the reindex after /);
    const rows = await desk.indexed();
    for (let i = 0; i < 6; i++) expect(rows.has(`plain/p${i}`)).toBe(true);
    expect((await desk.sql('SELECT reindex_after AS after FROM index_state')).stdout).toContain('"after": null');
    expect((await desk.sql("SELECT count(*) AS n FROM removed WHERE slug = 'world/americas/gift'")).stdout).toContain('"n": 1');
    // Some twenty wrangler runs, each a few seconds on a busy machine.
  }, 180_000);
});

describe('the command line', () => {
  const cli = (script: string, args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'src/cli', script), ...args], { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('dry-runs the shipped articles without writing', async () => {
    const desk = await newDesk();
    const { code, stdout } = await cli('publish.ts', ['--local', '--persist-to', desk.state, '--dry-run']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('dry run, nothing was uploaded');
    expect(stdout).toMatch(/Index: \d+ rows would be written in local D1/);
    expect((await listExisting(wrangler, desk.target)).size).toBe(0);
    expect((await desk.indexed()).size).toBe(0);
  });

  it('exits non-zero with file:line for a bad file', async () => {
    const desk = await newDesk();
    const bad = await desk.write('cli/bad.md', '---\ntitle: ""\ndate: 2026-01-01\n---\nBody\n');
    const { code, stdout } = await cli('publish.ts', ['--local', '--persist-to', desk.state, bad]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/bad\.md:2: title must not be empty/);
  });

  it('refuses contradictory flags', async () => {
    const { code } = await cli('unpublish.ts', ['--local', '--remote', 'x']);
    expect(code).toBe(2);
  });
});

describe('articles/', () => {
  it('passes exactly the validation publish runs, with no warnings', async () => {
    const shipped = path.join(ROOT, 'articles');
    const result = await loadContent(shipped, [shipped]);
    expect(result.problems).toEqual([]);
    // The sample set exercises every front-matter field the README promises.
    const articles = result.articles.map((a) => a.article);
    // Enough for a front that looks like a newspaper's, in several sections.
    expect(articles.length).toBeGreaterThanOrEqual(20);
    expect(new Set(articles.map((a) => a.section)).size).toBeGreaterThanOrEqual(6);
    expect(articles.some((a) => a.draft)).toBe(true);
    expect(articles.some((a) => a.updated)).toBe(true);
    expect(articles.some((a) => a.authors.length > 1)).toBe(true);
    expect(articles.some((a) => a.image?.caption && a.image.credit)).toBe(true);
    expect(articles.some((a) => a.slug.split('/').length >= 3)).toBe(true);
    expect(articles.some((a) => /!\[[^\]]+\]\([^)]+ "[^"]+\|[^"]+"\)/.test(a.body))).toBe(true);
    expect(result.media.length).toBeGreaterThan(0);
    expect(result.banners).toBeDefined();
    expect(await readFile(path.join(shipped, 'banners.yaml'), 'utf8')).toContain('UK');
    // The fronts file validates against the shipped articles, every curated slug among them.
    expect(result.fronts).toBeDefined();
    // An article updated and corrected twice, one moved from an old slug, one in a right-to-left language.
    expect(articles.some((a) => a.updated && a.corrections.length >= 2)).toBe(true);
    expect(articles.some((a) => a.aliases.length > 0)).toBe(true);
    expect(articles.some((a) => a.language === 'ar')).toBe(true);
  });
});
