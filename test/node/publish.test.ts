// The editors' commands against the real wrangler CLI, real local KV and the
// real local D1 index, checked by reading the result back through the bundled
// worker in workerd.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/cli/content.ts';
import { listExisting, publish } from '../../src/cli/publish.ts';
import { readIndexedHashes } from '../../src/cli/index-writer.ts';
import { reindex } from '../../src/cli/reindex.ts';
import { unpublish } from '../../src/cli/unpublish.ts';
import { projectWrangler, runOrThrow, type WranglerRunner } from '../../src/cli/wrangler.ts';
import { ROOT, TEST_PREVIEW_SECRET, startWorker, type WorkerServer } from '../support/worker-server.ts';

const run = promisify(execFile);

let dir: string;
let content: string;
let state: string;
const target = () => ({ remote: false, persistTo: state });
const wrangler = projectWrangler(ROOT);

/** Applies the migrations to a local state with the real `wrangler d1 migrations apply`, as `npm run migrate` does. */
async function migrate(persistTo: string): Promise<void> {
  await runOrThrow(wrangler, ['d1', 'migrations', 'apply', 'INDEX', '--local', '--persist-to', persistTo]);
}

/** What the local index holds, slug to hash. */
const indexed = () => readIndexedHashes(wrangler, target());

/** Runs SQL against the local index with the real wrangler. */
async function sql(command: string): Promise<void> {
  await runOrThrow(wrangler, ['d1', 'execute', 'INDEX', '--local', '--persist-to', state, '--command', command]);
}

/** The real wrangler, with every command it was asked to run recorded. */
function recordingRunner(): { runner: WranglerRunner; commands: string[] } {
  const commands: string[] = [];
  return { commands, runner: (args) => (commands.push(args.slice(0, 3).join(' ')), wrangler(args)) };
}

async function write(relative: string, text: string): Promise<string> {
  const file = path.join(content, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

async function publishAll(paths: string[] = [], runner = wrangler, persistTo = state) {
  const lines: string[] = [];
  let code: number;
  try {
    code = await publish({
      root: ROOT, contentRoot: content, paths, target: { remote: false, persistTo }, runner, log: (l) => lines.push(l),
      previewSecret: TEST_PREVIEW_SECRET, previewOrigin: '',
    });
  } catch (error) {
    // As the command line reports it (runCommand): the message, exit 1.
    lines.push(`publish failed: ${error instanceof Error ? error.message : error}`);
    code = 1;
  }
  return { code, output: lines.join('\n') };
}

/** A fresh worker over the state wrangler wrote (fresh, so no in-memory listing hides a change). */
async function withWorker<T>(use: (worker: WorkerServer) => Promise<T>): Promise<T> {
  // No isolate memo: each request reads the index as the commands left it.
  const worker = await startWorker({ persistTo: state, vars: { ISOLATE_CACHE_TTL: '0' } });
  try {
    return await use(worker);
  } finally {
    await worker.close();
  }
}

const article = (title: string, extra = '', body = 'Body text.') =>
  `---\ntitle: ${title}\ndate: 2026-11-20T08:00:00Z\n${extra}---\n\n${body}\n`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-editors-'));
  content = path.join(dir, 'articles');
  state = path.join(dir, 'state');
  await write('news/harbour.md', article('Harbour reopens', 'image:\n  src: /media/ferry.svg\n  alt: A ferry\n'));
  await write('world/americas/gift.md', article('A gift in the delta'));
  await write('desk/draft.md', article('Secret draft', 'draft: true\n', 'Draft text.'));
  await write('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1"/>');
  await write('banners.yaml', 'UK:\n  heading: Editors wrote this\n  paragraphs: [Thanks.]\n  primary: {label: Give, url: /give}\n');
  await migrate(state);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run publish', () => {
  it('uploads valid articles, their media and banner copy, readable through the worker', async () => {
    const { code, output } = await publishAll();
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+news\/harbour/);
    expect(output).toMatch(/added\s+world\/americas\/gift/);
    expect(output).toMatch(/added\s+media\/ferry\.svg/);
    expect(output).toMatch(/added\s+config\/banners/);
    expect(output).toContain('3 added, 0 updated, 0 unchanged');
    expect(output).toContain('Index: 3 rows written');
    expect([...(await indexed()).keys()].sort()).toEqual(['desk/draft', 'news/harbour', 'world/americas/gift']);
    const previewLink = /\/preview\/desk\/draft\?expires=\d+&sig=[\w-]+/.exec(output)?.[0];
    expect(previewLink).toBeDefined();

    await withWorker(async (worker) => {
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
    const { runner, commands } = recordingRunner();
    const { code, output } = await publishAll([], runner);
    expect(code, output).toBe(0);
    for (const slug of ['news/harbour', 'world/americas/gift', 'desk/draft']) expect(output).toMatch(new RegExp(`unchanged\\s+${slug}`));
    expect(output).toContain('0 added, 0 updated, 3 unchanged');
    expect(output).toContain('Index: 0 rows written');
    expect(commands).toEqual(['kv key list', 'd1 execute INDEX']);
  });

  it('uploads nothing when any file is invalid, and says where', async () => {
    await write('news/fresh.md', article('A fresh and valid story'));
    const bad = await write('news/bad.md', '---\ntitle: Bad\ndate: last tuesday\n---\n\n[x](javascript:alert(1))\n');
    const { runner, commands } = recordingRunner();
    const { code, output } = await publishAll([], runner);
    expect(code).toBe(1);
    const relative = path.relative(process.cwd(), bad);
    expect(output).toContain(`${relative}:3: date must be an ISO 8601 date`);
    expect(output).toContain('nothing was uploaded');
    expect(commands).toEqual([]);
    expect((await listExisting(wrangler, target())).has('news/fresh')).toBe(false);
    await rm(bad);
  });

  it('reports unsafe links, missing alt text and deep nesting in the body', async () => {
    const file = await write('news/lint.md', article('Lint', '', '[x](javascript:alert(1))\n\n![](/media/ferry.svg)\n\n' + '>'.repeat(40) + ' deep'));
    const { code, output } = await publishAll([file]);
    expect(code).toBe(1);
    const relative = path.relative(process.cwd(), file);
    expect(output).toContain(`${relative}:10: markdown nests 40 levels deep; the limit is 16`);
    await write('news/lint.md', article('Lint', '', '[x](javascript:alert(1))\n\n![](/media/ferry.svg)'));
    const second = await publishAll([file]);
    expect(second.output).toContain(`${relative}:6: link to "javascript:alert(1)" is not allowed`);
    expect(second.output).toContain(`${relative}:8: image /media/ferry.svg has no alt text`);
    await rm(file);
  });

  it('updates a changed article and adds a new one', async () => {
    await write('news/harbour.md', article('Harbour reopens to crowds', 'image:\n  src: /media/ferry.svg\n  alt: A ferry\n'));
    const { code, output } = await publishAll();
    expect(code, output).toBe(0);
    expect(output).toMatch(/updated\s+news\/harbour/);
    expect(output).toMatch(/added\s+news\/fresh/);
    expect(output).toMatch(/unchanged\s+world\/americas\/gift/);
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/articles/news/harbour`)).text()).toContain('Harbour reopens to crowds');
    });
  });

  it('refuses to change the bytes behind a published media name', async () => {
    await write('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 1"/>');
    const { code, output } = await publishAll();
    expect(code).toBe(1);
    expect(output).toContain('media/ferry.svg is already published with different content');
    await write('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1"/>');
  });

  it('writes the index in one execution: when its last statement fails, no row changes', async () => {
    await write('batch/one.md', article('Batch one'));
    await write('batch/two.md', article('Batch two', 'tags: [batch]\nauthors: [Ann Other]\n'));
    // The real wrangler, but the index file it is given ends with a statement that fails.
    const failing: WranglerRunner = async (args) => {
      const file = args[args.indexOf('--file') + 1];
      if (args[0] === 'd1' && args.includes('--file') && file) await writeFile(file, `${await readFile(file, 'utf8')}INSERT INTO no_such_table VALUES (1);\n`);
      return wrangler(args);
    };
    const before = await indexed();
    const { code, output } = await publishAll([path.join(content, 'batch')], failing);
    expect(code).toBe(1);
    expect(output).toContain('KV was updated, but the index in local D1');
    expect(await indexed()).toEqual(before);
    // Running the same command again writes the index and skips KV.
    const again = await publishAll([path.join(content, 'batch')]);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/unchanged\s+batch\/one\s+\(index row added\)/);
    expect(again.output).toContain('Index: 2 rows written');
    expect((await indexed()).has('batch/two')).toBe(true);
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Batch two');
    });
  });

  it('says when an article is scheduled, and keeps it out of the lists until then', async () => {
    await write('later/dawn.md', article('Not before dawn').replace('2026-11-20T08:00:00Z', '2099-01-01T06:00:00Z'));
    const { code, output } = await publishAll([path.join(content, 'later/dawn.md')]);
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+later\/dawn\s+\(scheduled for 2099-01-01T06:00:00.000Z\)/);
    expect((await indexed()).has('later/dawn')).toBe(true);
    await withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/later/dawn`)).status).toBe(404);
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Not before dawn');
    });
  });

  it('tells an editor to migrate an index that has no tables', async () => {
    const { code, output } = await publishAll([], wrangler, path.join(dir, 'unmigrated'));
    expect(code).toBe(1);
    expect(output).toContain('has no tables yet: run `npm run migrate -- --local` first');
  });
});

describe('npm run unpublish', () => {
  it('removes an article from its page and from the index', async () => {
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/fresh', 'news/never-existed'], target: target(), runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1); // one of the two was not there
    expect(lines.join('\n')).toMatch(/removed\s+news\/fresh/);
    expect(lines.join('\n')).toMatch(/not found\s+news\/never-existed/);
    expect((await indexed()).has('news/fresh')).toBe(false);
    await withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/news/fresh`)).status).toBe(404);
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('A fresh and valid story');
      expect(await (await fetch(`${worker.url}/sitemaps/articles-2026-11.xml`)).text()).not.toContain('news/fresh');
    });
  });

  it('removes a row whose key is already gone from KV', async () => {
    await runOrThrow(wrangler, ['kv', 'key', 'delete', 'batch/one', '--binding', 'ARTICLES', '--local', '--persist-to', state]);
    expect((await indexed()).has('batch/one')).toBe(true);
    const lines: string[] = [];
    expect(await unpublish({ slugs: ['batch/one'], target: target(), runner: wrangler, log: (l) => lines.push(l) })).toBe(0);
    expect((await indexed()).has('batch/one')).toBe(false);
  });

  it('deletes nothing when a slug is malformed', async () => {
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/harbour', '../etc'], target: target(), runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect((await listExisting(wrangler, target())).has('news/harbour')).toBe(true);
  });
});

describe('plain wrangler', () => {
  const put = async (slug: string, title: string) => {
    const file = await write(`${slug}.md`, article(title));
    const result = await wrangler(['kv', 'key', 'put', slug, '--path', file, '--binding', 'ARTICLES', '--local', '--persist-to', state]);
    expect(result.code, result.stderr).toBe(0);
  };

  it('kv key put of one file renders at once and reaches the index when first viewed', async () => {
    await put('plain/story', 'Put by plain wrangler');
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Put by plain wrangler');
      expect(await (await fetch(`${worker.url}/articles/plain/story`)).text()).toContain('Put by plain wrangler');
      for (let i = 0; i < 100 && !(await (await fetch(`${worker.url}/`)).text()).includes('Put by plain wrangler'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Put by plain wrangler');
    });
  });

  it('kv key put reaches the index through the Cron Trigger, without a view', async () => {
    await put('plain/unread', 'Put and never read');
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('Put and never read');
      await (await worker.mf.getWorker()).scheduled({ cron: '* * * * *' });
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Put and never read');
    });
  });
});

describe('npm run reindex', () => {
  it('rebuilds the index from KV: drops rows with no key, restores missing ones, reports broken files', async () => {
    await sql("DELETE FROM articles WHERE slug = 'news/harbour'");
    await sql("INSERT INTO articles (slug, hash, title, date, published_at, modified_at, language, draft, indexed_at, indexed_by) VALUES ('ghost/row', 'x', 'Ghost', '2026-01-01', 0, 0, 'en', 0, 0, 'editor')");
    const broken = await write('broken/file.txt', '---\ntitle: [oops\n---\nBody\n');
    await runOrThrow(wrangler, ['kv', 'key', 'put', 'broken/file', '--path', broken, '--binding', 'ARTICLES', '--local', '--persist-to', state]);
    const lines: string[] = [];
    const code = await reindex({ target: target(), runner: wrangler, log: (l) => lines.push(l) });
    const output = lines.join('\n');
    expect(code, output).toBe(1); // one file could not be indexed
    expect(output).toMatch(/skipped\s+broken\/file: line 3: front matter:/);
    expect(output).toMatch(/Rebuilt the index in local D1 .* indexed \(1 draft, 1 scheduled\), 1 skipped as invalid/);
    const rows = await indexed();
    expect(rows.has('ghost/row')).toBe(false);
    expect(rows.has('news/harbour')).toBe(true);
    expect(rows.has('plain/unread')).toBe(true);
    const keys = [...(await listExisting(wrangler, target())).keys()].filter((k) => !k.startsWith('media/') && !k.startsWith('config/') && k !== 'broken/file');
    expect([...rows.keys()].sort()).toEqual(keys.sort());
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Harbour reopens to crowds');
    });
  });
});

describe('the command line', () => {
  const cli = (script: string, args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'src/cli', script), ...args], { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('dry-runs the shipped articles without writing', async () => {
    const scratch = path.join(dir, 'dry-run-state');
    await migrate(scratch);
    const { code, stdout } = await cli('publish.ts', ['--local', '--persist-to', scratch, '--dry-run']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('dry run, nothing was uploaded');
    expect(stdout).toMatch(/Index: \d+ rows would be written in local D1/);
    expect((await listExisting(wrangler, { remote: false, persistTo: scratch })).size).toBe(0);
    expect((await readIndexedHashes(wrangler, { remote: false, persistTo: scratch })).size).toBe(0);
  });

  it('exits non-zero with file:line for a bad file', async () => {
    const bad = await write('cli/bad.md', '---\ntitle: ""\ndate: 2026-01-01\n---\nBody\n');
    const { code, stdout } = await cli('publish.ts', ['--local', '--persist-to', path.join(dir, 'cli-state'), bad]);
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
    expect(articles.length).toBeGreaterThanOrEqual(6);
    expect(articles.some((a) => a.draft)).toBe(true);
    expect(articles.some((a) => a.updated)).toBe(true);
    expect(articles.some((a) => a.authors.length > 1)).toBe(true);
    expect(articles.some((a) => a.image?.caption && a.image.credit)).toBe(true);
    expect(articles.some((a) => a.slug.split('/').length >= 3)).toBe(true);
    expect(articles.some((a) => /!\[[^\]]+\]\([^)]+ "[^"]+\|[^"]+"\)/.test(a.body))).toBe(true);
    expect(result.media.length).toBeGreaterThan(0);
    expect(result.banners).toBeDefined();
    expect(await readFile(path.join(shipped, 'banners.yaml'), 'utf8')).toContain('UK');
  });
});
