// The editors' commands against the real wrangler CLI and real local KV,
// checked by reading the result back through the bundled worker in workerd.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/cli/content.ts';
import { listExisting, publish } from '../../src/cli/publish.ts';
import { unpublish } from '../../src/cli/unpublish.ts';
import { projectWrangler, type WranglerRunner } from '../../src/cli/wrangler.ts';
import { ROOT, TEST_PREVIEW_SECRET, startWorker, type WorkerServer } from '../support/worker-server.ts';

const run = promisify(execFile);

let dir: string;
let content: string;
let state: string;
const target = () => ({ remote: false, persistTo: state });
const wrangler = projectWrangler(ROOT);

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

async function publishAll(paths: string[] = [], runner = wrangler) {
  const lines: string[] = [];
  const code = await publish({
    root: ROOT, contentRoot: content, paths, target: target(), runner, log: (l) => lines.push(l),
    previewSecret: TEST_PREVIEW_SECRET, previewOrigin: '',
  });
  return { code, output: lines.join('\n') };
}

/** A fresh worker over the state wrangler wrote (fresh, so no in-memory listing hides a change). */
async function withWorker<T>(use: (worker: WorkerServer) => Promise<T>): Promise<T> {
  const worker = await startWorker({ persistTo: state });
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
    expect(commands).toEqual(['kv key list']);
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
});

describe('npm run unpublish', () => {
  it('removes an article from its page and from the index', async () => {
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/fresh', 'news/never-existed'], target: target(), runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1); // one of the two was not there
    expect(lines.join('\n')).toMatch(/removed\s+news\/fresh/);
    expect(lines.join('\n')).toMatch(/not found\s+news\/never-existed/);
    await withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/news/fresh`)).status).toBe(404);
      expect(await (await fetch(`${worker.url}/`)).text()).not.toContain('A fresh and valid story');
      expect(await (await fetch(`${worker.url}/sitemap.xml`)).text()).not.toContain('news/fresh');
    });
  });

  it('deletes nothing when a slug is malformed', async () => {
    const lines: string[] = [];
    const code = await unpublish({ slugs: ['news/harbour', '../etc'], target: target(), runner: wrangler, log: (l) => lines.push(l) });
    expect(code).toBe(1);
    expect((await listExisting(wrangler, target())).has('news/harbour')).toBe(true);
  });
});

describe('plain wrangler', () => {
  it('kv key put of one file renders and appears in the index without metadata', async () => {
    const file = await write('plain/story.md', article('Put by plain wrangler'));
    const result = await wrangler(['kv', 'key', 'put', 'plain/story', '--path', file, '--binding', 'ARTICLES', '--local', '--persist-to', state]);
    expect(result.code, result.stderr).toBe(0);
    await withWorker(async (worker) => {
      expect(await (await fetch(`${worker.url}/articles/plain/story`)).text()).toContain('Put by plain wrangler');
      expect(await (await fetch(`${worker.url}/`)).text()).toContain('Put by plain wrangler');
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
    const { code, stdout } = await cli('publish.ts', ['--local', '--persist-to', scratch, '--dry-run']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('dry run, nothing was uploaded');
    expect((await listExisting(wrangler, { remote: false, persistTo: scratch })).size).toBe(0);
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
