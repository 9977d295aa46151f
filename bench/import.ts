/**
 * `npm run bench:import -- [--count 100000] [--out FILE]`
 *
 * Importing an archive is a publish of many files. This writes `count`
 * generated article files (sections, tags, authors, bodies of a few KB) to a
 * temporary content folder and publishes them to a fresh local KV and D1
 * through the real command and the real wrangler, timing each wrangler call,
 * so the report says where the time goes: validation (everything publish does
 * itself), the KV and index reads that plan the upload, the KV upload and the
 * one index execution. A second publish of the same files then shows the cost
 * of re-running an import that changed nothing.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { publish } from '../src/cli/publish.ts';
import { projectWrangler, runOrThrow, type WranglerRunner } from '../src/cli/wrangler.ts';
import { ROOT } from '../support/worker-server.ts';

const SECTIONS = ['world', 'politics', 'science', 'local', 'culture', 'business', 'opinion', 'sport'];

function articleFile(n: number, count: number): string {
  const date = new Date(Date.now() - 3600_000 - (count - n) * 864_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const paragraph = `Reporters spoke to residents about item ${n}, checked the figures twice and asked the council for comment. ` +
    'The work took longer than planned, as such work usually does, and the people involved said so plainly. ';
  const body = Array.from({ length: 12 }, (_, i) => (i % 5 === 4 ? `## Part ${i}` : paragraph)).join('\n\n');
  return `---\ntitle: Imported story ${n}\ndate: ${date}\nstandfirst: One of an archive imported in one publish.\n` +
    `section: ${SECTIONS[n % SECTIONS.length]}\ntags: [theme ${n % 20}, topic ${(n * 7919) % 2000}]\nauthors: [Writer ${(n * 31) % 400}]\n---\n\n${body}\n`;
}

export interface ImportReport {
  files: number;
  /** Seconds, by phase. */
  write_files: number;
  publish: number;
  validation: number;
  kv_list: number;
  index_read: number;
  kv_upload: number;
  index_write: number;
  /** The same publish again: everything unchanged. */
  republish: number;
}

export async function importArchive(count: number): Promise<ImportReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-import-'));
  const content = path.join(dir, 'articles');
  const state = path.join(dir, 'state');
  const wrangler = projectWrangler(ROOT);
  const spent: Record<string, number> = {};
  // The real wrangler, with the time of every call added up by command.
  const timed: WranglerRunner = async (args) => {
    const started = performance.now();
    try {
      return await wrangler(args);
    } finally {
      const command = args.includes('--file') ? 'd1 execute --file' : args.slice(0, 3).join(' ');
      spent[command] = (spent[command] ?? 0) + (performance.now() - started) / 1000;
    }
  };
  try {
    let started = performance.now();
    for (let n = 0; n < count; n++) {
      const file = path.join(content, SECTIONS[n % SECTIONS.length]!, `story-${n}.md`);
      if (n < SECTIONS.length) await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, articleFile(n, count));
    }
    const writeFiles = (performance.now() - started) / 1000;
    await runOrThrow(wrangler, ['d1', 'migrations', 'apply', 'INDEX', '--local', '--persist-to', state]);

    const run = async () => {
      const lines: string[] = [];
      const code = await publish({ root: ROOT, contentRoot: content, paths: [], target: { remote: false, persistTo: state }, runner: timed, log: (l) => lines.push(l) });
      if (code !== 0) throw new Error(`publish failed:\n${lines.slice(-20).join('\n')}`);
      return lines;
    };
    started = performance.now();
    const lines = await run();
    const publishSeconds = (performance.now() - started) / 1000;
    console.error(lines.slice(-2).join('\n'));
    const first = { ...spent };
    for (const key of Object.keys(spent)) delete spent[key];
    started = performance.now();
    await run();
    const republish = (performance.now() - started) / 1000;
    const wranglerSeconds = Object.values(first).reduce((a, b) => a + b, 0);
    const round = (s: number | undefined) => Number((s ?? 0).toFixed(1));
    return {
      files: count,
      write_files: round(writeFiles),
      publish: round(publishSeconds),
      validation: round(publishSeconds - wranglerSeconds),
      kv_list: round(first['kv key list']),
      index_read: round(first['d1 execute INDEX']),
      kv_upload: round(first['kv bulk put']),
      index_write: round(first['d1 execute --file']),
      republish: round(republish),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '100000' }, out: { type: 'string' } } });
  const report = await importArchive(Number(values.count));
  console.log(`Imported ${report.files.toLocaleString('en')} files with npm run publish, to local KV and D1:\n`);
  console.log('| phase | seconds |\n|---|---:|');
  for (const [phase, seconds] of Object.entries(report)) if (phase !== 'files') console.log(`| ${phase.replace('_', ' ')} | ${seconds} |`);
  if (values.out) await writeFile(values.out, `${JSON.stringify({ import: report }, null, 2)}\n`);
}
