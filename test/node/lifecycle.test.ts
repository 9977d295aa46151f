// The article lifecycle through the editors' commands: the real wrangler
// against real local KV and D1, read back through the bundled worker. Bad
// corrections and clashing aliases are refused at file:line with nothing
// uploaded; a moved article leaves a 301; a takedown leaves a 410 until the
// slug is published again.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExisting } from '../../src/cli/publish.ts';
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

describe('publishing corrections and aliases', () => {
  it('refuses bad corrections at file:line and uploads nothing', async () => {
    const desk = await newDesk();
    const file = await desk.write('news/corrected.md', article('Corrected story', [
      'corrections:',
      '  - date: 2026-11-19T08:00:00Z', // line 5: before the article's date
      '    text: Too early.',
      '  - date: yesterday', // line 7
      '    text: Bad date.',
      '  - date: 2026-11-21', // line 9
      '    text: ""', // line 10: empty
      '',
    ].join('\n')));
    // A file whose front matter parses gets the publisher's checks of each correction's markdown too.
    const linked = await desk.write('news/linked.md', article('Linked story', 'corrections:\n  - date: 2026-11-22\n    text: See [this](javascript:alert(1)).\n'));
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    const at = path.relative(process.cwd(), file);
    expect(code).toBe(1);
    expect(output).toContain(`${at}:5: corrections.0.date (2026-11-19T08:00:00Z) is earlier than the article's date (2026-11-20T08:00:00Z)`);
    expect(output).toContain(`${at}:7: corrections.1.date must be an ISO 8601 date`);
    expect(output).toContain(`${at}:10: corrections.2.text must not be empty`);
    expect(output).toContain(`${path.relative(process.cwd(), linked)}:6: correction of 2026-11-22 links to "javascript:alert(1)", which is not allowed`);
    expect(output).toContain('nothing was uploaded');
    expect(commands).toEqual([]);
  });

  it('refuses an alias that is another article\'s slug or alias, in the set or in the index', async () => {
    const desk = await newDesk({ published: true });
    // Published: news/harbour, world/americas/gift. A new article may not take either as an alias...
    const taker = await desk.write('news/taker.md', article('Taker', 'aliases: [news/harbour]\n'));
    // ...nor share one with another article in the same run.
    const one = await desk.write('news/one.md', article('One', 'aliases: [news/shared-old]\n'));
    const two = await desk.write('news/two.md', article('Two', 'aliases: [news/shared-old]\n'));
    const { runner, commands } = recordingRunner();
    const first = await desk.publish([taker, one, two], { runner });
    expect(first.code).toBe(1);
    expect(first.output).toContain(`${path.relative(process.cwd(), taker)}:4: alias "news/harbour" is another article's slug`);
    expect(first.output).toContain(`${path.relative(process.cwd(), two)}:4: alias "news/shared-old" is also an alias of news/one`);
    expect(commands.filter((c) => c.startsWith('kv bulk'))).toEqual([]);

    // An alias already held in the index by an article outside this run is refused too, as is a slug that is one.
    await rm(taker);
    await rm(two);
    expect((await desk.publish([one])).code).toBe(0);
    await rm(one);
    const thief = await desk.write('news/thief.md', article('Thief', 'aliases: [news/shared-old]\n'));
    const second = await desk.publish([thief]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`${path.relative(process.cwd(), thief)}:4: alias "news/shared-old" already leads to news/one`);
    await rm(thief);
    const squatter = await desk.write('news/shared-old.md', article('Squatter'));
    const third = await desk.publish([squatter]);
    expect(third.code).toBe(1);
    expect(third.output).toContain(`${path.relative(process.cwd(), squatter)}:1: slug "news/shared-old" is an alias of news/one`);
    const keys = await listExisting(wrangler, desk.target);
    expect(keys.has('news/thief') || keys.has('news/shared-old')).toBe(false);
  });

  it('moves an article: the old key goes, its address answers 301 to the new one in one hop', async () => {
    const desk = await newDesk({ published: true });
    // The editor renames world/americas/gift to world/americas/delta-gift and names the old slug.
    await rm(path.join(desk.content, 'world/americas/gift.md'));
    await desk.write('world/americas/delta-gift.md', article('A gift in the delta', 'aliases: [world/americas/gift]\n'));
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/moved\s+world\/americas\/gift → world\/americas\/delta-gift/);
    const keys = await listExisting(wrangler, desk.target);
    expect(keys.has('world/americas/gift')).toBe(false);
    expect(keys.has('world/americas/delta-gift')).toBe(true);
    await desk.withWorker(async (worker) => {
      for (const [from, to] of [['/articles/', '/articles/'], ['/api/articles/', '/api/articles/']]) {
        const res = await fetch(`${worker.url}${from}world/americas/gift`, { redirect: 'manual' });
        expect(res.status).toBe(301);
        expect(res.headers.get('Location')).toBe(`${to}world/americas/delta-gift`);
      }
      expect((await fetch(`${worker.url}/articles/world/americas/delta-gift`)).status).toBe(200);
      // Only one copy in the lists.
      expect((await (await fetch(`${worker.url}/latest`)).text()).match(/A gift in the delta/g)).toHaveLength(1);
    });
    // A second run changes nothing.
    const again = await desk.publish();
    expect(again.output).not.toContain('moved');
  });
});

describe('npm run unpublish -- --gone', () => {
  const cli = (args: string[]) =>
    run(process.execPath, [path.join(ROOT, 'src/cli/unpublish.ts'), ...args], { cwd: ROOT }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('takes an article down with a reason: 410 with the reason on page, gallery and JSON, until published again', async () => {
    const desk = await newDesk({ published: true });
    const { code, stdout } = await cli(['--local', '--persist-to', desk.state, '--gone', '--reason', 'Removed after a legal complaint', 'news/harbour']);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('they now answer 410 Gone (reason: Removed after a legal complaint)');
    await desk.withWorker(async (worker) => {
      for (const route of ['/articles/', '/gallery/', '/api/articles/']) {
        const res = await fetch(`${worker.url}${route}news/harbour`);
        expect(res.status, route).toBe(410);
        expect(res.headers.get('Cache-Tag')).toContain('article:news/harbour');
        expect(await res.text()).toContain('Removed after a legal complaint');
      }
    });
    expect((await desk.publish()).code).toBe(0);
    await desk.withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/news/harbour`)).status).toBe(200);
    });
  });

  it('keeps the 404 of a plain unpublish', async () => {
    const desk = await newDesk({ published: true });
    expect((await desk.unpublish(['news/harbour'])).code).toBe(0);
    await desk.withWorker(async (worker) => {
      expect((await fetch(`${worker.url}/articles/news/harbour`)).status).toBe(404);
    });
  });

  it('refuses --reason without --gone, and an empty reason, deleting nothing', async () => {
    const desk = await newDesk({ published: true });
    const without = await cli(['--local', '--persist-to', desk.state, '--reason', 'why', 'news/harbour']);
    expect(without.code).toBe(2);
    expect(without.stdout).toContain('--reason goes with --gone');
    const empty = await desk.unpublish(['news/harbour'], { takedown: { reason: '  ' } });
    expect(empty.code).toBe(1);
    expect(empty.output).toContain('--reason is empty');
    expect((await listExisting(wrangler, desk.target)).has('news/harbour')).toBe(true);
  });
});
