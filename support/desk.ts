/**
 * An editor's desk for end-to-end tests of the editors' commands: an
 * articles folder and a local state in wrangler's layout, driven by the real
 * wrangler CLI. Desks are copies of two templates prepared once per file
 * (migrated, or migrated and published), so tests share no state.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { publish } from '../src/cli/publish.ts';
import type { PurgeTargets } from '../src/cli/purger.ts';
import { readIndexed } from '../src/cli/index-writer.ts';
import { unpublish } from '../src/cli/unpublish.ts';
import { projectWrangler, runOrThrow, type WranglerRunner } from '../src/cli/wrangler.ts';
import { ROOT, TEST_PREVIEW_SECRET, startWorker, type WorkerOptions, type WorkerServer } from './worker-server.ts';

export const wrangler = projectWrangler(ROOT);

/** An article file with a fixed date. */
export const article = (title: string, extra = '', body = 'Body text.') =>
  `---\ntitle: ${title}\ndate: 2026-11-20T08:00:00Z\n${extra}---\n\n${body}\n`;

/** Applies the migrations to a local state with the real `wrangler d1 migrations apply`, as `npm run migrate` does. */
export async function migrate(persistTo: string): Promise<void> {
  await runOrThrow(wrangler, ['d1', 'migrations', 'apply', 'INDEX', '--local', '--persist-to', persistTo]);
}

/** The real wrangler, with every command it was asked to run recorded. */
export function recordingRunner(): { runner: WranglerRunner; commands: string[] } {
  const commands: string[] = [];
  return { commands, runner: (args) => (commands.push(args.slice(0, 3).join(' ')), wrangler(args)) };
}

export type Desk = ReturnType<typeof deskAt>;

/** The desk in `dir` (its articles and its local state), and the editors' commands over it. */
export function deskAt(dir: string) {
  const content = path.join(dir, 'articles');
  const state = path.join(dir, 'state');
  const target = { remote: false, persistTo: state } as const;
  return {
    dir, content, state, target,
    async write(relative: string, text: string | Uint8Array): Promise<string> {
      const file = path.join(content, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    },
    /** `npm run publish` of the given paths (all of them by default); its exit code and output. */
    async publish(
      paths: string[] = [],
      { runner = wrangler, persistTo = state, purge, settleMs }: { runner?: WranglerRunner; persistTo?: string; purge?: PurgeTargets; settleMs?: number } = {},
    ) {
      const lines: string[] = [];
      let code: number;
      try {
        code = await publish({
          root: ROOT, contentRoot: content, paths, target: { remote: false, persistTo }, runner, log: (l) => lines.push(l),
          previewSecret: TEST_PREVIEW_SECRET, previewOrigin: '', ...(purge && { purge }), ...(settleMs !== undefined && { settleMs }),
        });
      } catch (error) {
        // As the command line reports it (runCommand): the message, exit 1.
        lines.push(`publish failed: ${error instanceof Error ? error.message : error}`);
        code = 1;
      }
      return { code, output: lines.join('\n') };
    },
    /** `npm run unpublish` of `slugs`; its exit code and output. */
    async unpublish(slugs: string[], { purge, settleMs, takedown }: { purge?: PurgeTargets; settleMs?: number; takedown?: { reason: string | null } } = {}) {
      const lines: string[] = [];
      const code = await unpublish({
        slugs, target, runner: wrangler, log: (l) => lines.push(l), ...(purge && { purge }), ...(settleMs !== undefined && { settleMs }), ...(takedown && { takedown }),
      });
      return { code, output: lines.join('\n') };
    },
    /** What the local index holds, slug to hash. */
    indexed: async () => new Map([...(await readIndexed(wrangler, target))].map(([slug, row]) => [slug, row.hash])),
    /** Runs SQL against the local index with the real wrangler. */
    sql: (command: string) => runOrThrow(wrangler, ['d1', 'execute', 'INDEX', '--local', '--persist-to', state, '--command', command]),
    /** Puts one file under `slug` with plain `wrangler kv key put`. */
    async put(slug: string, file: string): Promise<void> {
      await runOrThrow(wrangler, ['kv', 'key', 'put', slug, '--path', file, '--binding', 'ARTICLES', '--local', '--persist-to', state]);
    },
    /** A worker over the state wrangler wrote (no isolate memo unless `vars` say otherwise). */
    async startWorker(options: WorkerOptions = {}): Promise<WorkerServer> {
      return startWorker({ ...options, persistTo: state, vars: { ISOLATE_CACHE_TTL: '0', ...options.vars } });
    },
    /** A fresh worker over the state wrangler wrote, with no isolate memo, so each request sees what the commands left. */
    async withWorker<T>(use: (worker: WorkerServer) => Promise<T>): Promise<T> {
      const worker = await startWorker({ persistTo: state, vars: { ISOLATE_CACHE_TTL: '0' } });
      try {
        return await use(worker);
      } finally {
        await worker.close();
      }
    },
  };
}

/** Prepares the desk in `dir`: its files, migrated with the real wrangler, and published when asked. */
async function prepareDesk(dir: string, { published = false } = {}): Promise<string> {
  const desk = deskAt(dir);
  await desk.write('news/harbour.md', article('Harbour reopens', 'image:\n  src: /media/ferry.svg\n  alt: A ferry\nsection: local\n'));
  await desk.write('world/americas/gift.md', article('A gift in the delta'));
  await desk.write('desk/draft.md', article('Secret draft', 'draft: true\n', 'Draft text.'));
  await desk.write('media/ferry.svg', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 1"/>');
  await desk.write('banners.yaml', 'UK:\n  heading: Editors wrote this\n  paragraphs: [Thanks.]\n  primary: {label: Give, url: /give}\n');
  await migrate(desk.state);
  if (published) {
    const { code, output } = await desk.publish();
    if (code !== 0) throw new Error(`the desk did not publish:\n${output}`);
  }
  return dir;
}

/**
 * Desks for one test file, under a temporary folder removed by `cleanup`.
 * Each `newDesk` is a copy of a template prepared the first time it is needed.
 */
export async function desks(): Promise<{ newDesk(options?: { published?: boolean }): Promise<Desk>; root: string; cleanup(): Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-editors-'));
  let count = 0;
  let migrated: Promise<string> | undefined, published: Promise<string> | undefined;
  return {
    root,
    async newDesk({ published: wantPublished = false } = {}) {
      const template = wantPublished
        ? await (published ??= prepareDesk(path.join(root, 'template-published'), { published: true }))
        : await (migrated ??= prepareDesk(path.join(root, 'template-migrated')));
      const dir = path.join(root, `desk-${++count}`);
      await cp(template, dir, { recursive: true });
      return deskAt(dir);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
