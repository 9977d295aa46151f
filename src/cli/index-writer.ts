/**
 * What the editors' commands do to the D1 index, through the project's
 * wrangler: read which versions it holds, and write a whole change as one
 * `wrangler d1 execute --file`, which D1 runs as a single transaction, so a
 * publish either changes every row it meant to or none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { IndexRow } from '../storage/index-rows.ts';
import type { TaggedVersion } from '../content/cache-tags.ts';
import {
  INDEXED_HASHES_SQL, NEXT_REVISION_SQL, indexedListsStatement, inlineStatement, toSqlScript, writeRowsStatements, type Statement,
  type WriteContext,
} from '../storage/index-sql.ts';
import { indexTargetArgs, type Target, type WranglerRunner } from './wrangler.ts';

/** D1 refuses statements over 100 KB; rows go into each statement's JSON until it nears this. */
const STATEMENT_BYTES = 90_000;

/** Above this many slugs, reading the whole index's hashes is cheaper than naming them. */
const NAMED_LOOKUP_LIMIT = 1000;

/**
 * What the index holds for one slug: its content hash and revision and, when
 * the slugs were few enough to name, who wrote it and what purging needs.
 */
export interface IndexedArticle {
  hash: string;
  revision: number | null;
  indexedBy?: 'editor' | 'reader' | 'cron';
  version?: TaggedVersion;
}

/**
 * What the index holds for each slug: for `slugs` only when they are few
 * (with each row's lists, so a change can purge the lists it leaves), else
 * every row's hash alone (an import that large purges broad tags anyway). A
 * missing table means the migrations were never applied, which gets its own
 * message.
 */
export async function readIndexed(runner: WranglerRunner, target: Target, slugs?: string[]): Promise<Map<string, IndexedArticle>> {
  const named = slugs !== undefined && slugs.length <= NAMED_LOOKUP_LIMIT;
  const sql = named ? inlineStatement(indexedListsStatement(slugs)) : INDEXED_HASHES_SQL;
  const result = await runner(['d1', 'execute', ...indexTargetArgs(target), '--json', '--command', sql]);
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout}`;
    if (/no such table/i.test(output)) {
      throw new Error(`the index in ${describeTarget(target)} has no tables yet: run \`npm run migrate -- ${target.remote ? '--remote' : '--local'}\` first`);
    }
    throw new Error(`wrangler d1 execute failed (exit ${result.code}):\n${output.trim()}`);
  }
  const rows = parseQueryOutput<{
    slug: string; hash: string; revision: number | null; indexedBy?: IndexedArticle['indexedBy']; publishedAt?: number; draft?: number; lists?: string;
    corrected?: number;
  }>(result.stdout);
  return new Map(rows.map((r) => [r.slug, {
    hash: r.hash,
    revision: r.revision ?? null,
    ...(named && {
      indexedBy: r.indexedBy!,
      version: {
        slug: r.slug, publishedAt: r.publishedAt!, draft: r.draft === 1, lists: JSON.parse(r.lists ?? '[]') as string[], corrected: r.corrected === 1,
      },
    }),
  }]));
}

/** Takes the next revision from D1's counter (`NEXT_REVISION_SQL`), for everything one command run writes. */
export async function nextRevision(runner: WranglerRunner, target: Target): Promise<number> {
  const [row] = await queryIndex<{ revision: number }>(runner, target, NEXT_REVISION_SQL);
  if (!row || !Number.isSafeInteger(row.revision)) throw new Error('D1 gave no revision: is the index migrated? (npm run migrate)');
  return row.revision;
}

/** The rows one read returns (`wrangler d1 execute --json --command`). */
export async function queryIndex<T>(runner: WranglerRunner, target: Target, sql: string): Promise<T[]> {
  const result = await runner(['d1', 'execute', ...indexTargetArgs(target), '--json', '--command', sql]);
  if (result.code !== 0) {
    const output = `${result.stderr}\n${result.stdout}`;
    if (/no such (table|column)/i.test(output)) {
      throw new Error(`the index in ${describeTarget(target)} needs its migrations: run \`npm run migrate -- ${target.remote ? '--remote' : '--local'}\` first`);
    }
    throw new Error(`wrangler d1 execute failed (exit ${result.code}):\n${output.trim()}`);
  }
  return parseQueryOutput<T>(result.stdout);
}

/** The rows of `wrangler d1 execute --json`: an array with one result per statement. */
function parseQueryOutput<T>(stdout: string): T[] {
  try {
    const results = JSON.parse(stdout.slice(stdout.indexOf('['))) as { results?: T[] }[];
    return results.flatMap((r) => r.results ?? []);
  } catch {
    throw new Error(`could not read what wrangler d1 execute printed:\n${stdout.slice(0, 500)}`);
  }
}

/**
 * Statements that write `rows`, in chunks that keep every statement within
 * D1's size limit once its JSON is inlined.
 */
export function chunkedWriteStatements(rows: IndexRow[], context: WriteContext): Statement[] {
  const statements: Statement[] = [];
  let chunk: IndexRow[] = [];
  let bytes = 0;
  const flush = () => {
    statements.push(...writeRowsStatements(chunk, context));
    chunk = [];
    bytes = 0;
  };
  for (const row of rows) {
    // Quotes double when inlined; a row's JSON is within twice its plain size.
    const size = 2 * Buffer.byteLength(JSON.stringify(row));
    if (chunk.length && bytes + size > STATEMENT_BYTES) flush();
    chunk.push(row);
    bytes += size;
  }
  if (chunk.length) flush();
  return statements;
}

/** Failures D1 reports when it is busy (locally: another process holds the database), after which the whole file rolled back. */
const BUSY = /SQLITE_BUSY|database is locked|overloaded|try again later/i;
/** Tries of one execution when D1 is busy, with a pause that doubles from this between them. */
const TRIES = 4;
const FIRST_PAUSE_MS = 250;

/**
 * Runs `statements` as one SQL file: all of them take effect, or none does.
 * When D1 answers that it is busy, nothing was applied, so the file is run
 * again, a few times, after growing pauses.
 */
export async function executeIndexScript(runner: WranglerRunner, target: Target, statements: Statement[]): Promise<void> {
  if (statements.length === 0) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-index-'));
  try {
    const file = path.join(dir, 'index.sql');
    await writeFile(file, toSqlScript(statements));
    const args = ['d1', 'execute', ...indexTargetArgs(target), '--file', file, '--yes'];
    for (let attempt = 1; ; attempt++) {
      const result = await runner(args);
      if (result.code === 0) return;
      if (attempt === TRIES || !BUSY.test(`${result.stderr}\n${result.stdout}`)) {
        throw new Error(`wrangler d1 execute failed (exit ${result.code}):\n${`${result.stderr}\n${result.stdout}`.trim()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function describeTarget(target: Target): string {
  return target.remote ? 'the remote D1 database' : `local D1${target.persistTo ? ` (${target.persistTo})` : ''}`;
}
