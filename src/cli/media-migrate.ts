/**
 * `npm run media:migrate -- [--local|--remote] [--env <name>] [--dry-run]`
 *
 * Copies the media a site kept in KV (keys `media/<name>`, from before the
 * MEDIA bucket) into R2 under the same keys, and records each in D1's media
 * table, so publishing treats them as R2's from then on. It copies in
 * batches, each uploaded and then recorded, so it can stop anywhere and be
 * run again: what is recorded is skipped, what was uploaded but not recorded
 * is uploaded again (the same bytes under the same name). KV keeps its copies
 * (the worker stops reading them once R2 has the file); delete them when you
 * like with `wrangler kv key delete`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mediaProblem, mediaType } from '../media/formats.ts';
import { imageDimensions } from '../media/dimensions.ts';
import { mediaRowsStatement } from '../storage/index-sql.ts';
import { MEDIA_PREFIX, contentHash } from '../storage/kv-format.ts';
import { runCommand } from './command.ts';
import { describeTarget, executeIndexScript } from './index-writer.ts';
import { mediaBucketName, mediaRow, readMediaManifest, uploadMedia, type MediaFile } from './media.ts';
import { projectWrangler, runOrThrow, targetArgs, type Target, type WranglerRunner } from './wrangler.ts';

export interface MigrateOptions {
  root: string;
  target: Target;
  dryRun?: boolean;
  runner: WranglerRunner;
  log: (line: string) => void;
  /** Files per upload-and-record step. */
  batch?: number;
}

/** Copies KV's media into R2. Returns the process exit code. */
export async function migrateMedia({ root, target, dryRun = false, runner, log, batch = 25 }: MigrateOptions): Promise<number> {
  const { stdout } = await runOrThrow(runner, ['kv', 'key', 'list', '--prefix', MEDIA_PREFIX, ...targetArgs(target)]);
  const keys = (JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string; metadata?: { hash?: unknown } }[])
    .filter((k) => mediaType(k.name.slice(MEDIA_PREFIX.length)) !== null);
  const names = keys.map((k) => k.name.slice(MEDIA_PREFIX.length));
  const recorded = await readMediaManifest(runner, target, names);
  const todo = keys.filter((k) => !recorded.has(k.name.slice(MEDIA_PREFIX.length)));
  log(`${keys.length} media key${keys.length === 1 ? '' : 's'} in KV; ${keys.length - todo.length} already in R2; ${todo.length} to copy${dryRun ? ' (dry run: nothing copied)' : ''}.`);
  for (const k of keys) if (recorded.has(k.name.slice(MEDIA_PREFIX.length))) log(`  in R2      /${k.name}`);
  if (dryRun) {
    for (const k of todo) log(`  would copy /${k.name}`);
    return 0;
  }
  if (todo.length === 0) return 0;
  const bucket = await mediaBucketName(root, target.env);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-migrate-'));
  let copied = 0, bytes = 0, failed = 0;
  try {
    for (let i = 0; i < todo.length; i += batch) {
      const files: MediaFile[] = [];
      for (const key of todo.slice(i, i + batch)) {
        const name = key.name.slice(MEDIA_PREFIX.length);
        const got = await runner(['kv', 'key', 'get', key.name, ...targetArgs(target)]);
        const value = got.stdoutBytes;
        if (got.code !== 0 || !value) {
          log(`  FAILED     /${key.name}: wrangler kv key get exited ${got.code}: ${got.stderr.trim().split('\n').at(-1)}`);
          failed++;
          continue;
        }
        const hash = await contentHash(new Uint8Array(value));
        if (typeof key.metadata?.hash === 'string' && key.metadata.hash !== hash) {
          log(`  FAILED     /${key.name}: the bytes read do not match the hash its metadata records; not copied`);
          failed++;
          continue;
        }
        const problem = mediaProblem(name, new Uint8Array(value.subarray(0, 256 * 1024)), value.byteLength);
        if (problem) log(`  warning    /${key.name}: ${problem} (copied as it is; it is served as before)`);
        const file = path.join(dir, `${i}-${files.length}`);
        await writeFile(file, value);
        const size = imageDimensions(new Uint8Array(value.subarray(0, 256 * 1024)));
        files.push({ file, name, key: key.name, size: value.byteLength, hash, type: mediaType(name)!, width: size?.width ?? null, height: size?.height ?? null });
      }
      await uploadMedia(runner, target, bucket, files);
      await executeIndexScript(runner, target, files.length ? [mediaRowsStatement(files.map((f) => mediaRow(f, 'migrate')))] : []);
      for (const f of files) log(`  copied     /${f.key} (${f.size} bytes)`);
      copied += files.length;
      bytes += files.reduce((sum, f) => sum + f.size, 0);
      await Promise.all(files.map((f) => rm(f.file, { force: true })));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  log(`Copied ${copied} file${copied === 1 ? '' : 's'} (${bytes} bytes) from KV to R2 bucket ${bucket} and recorded them in ${describeTarget(target)}` +
    `${failed ? `; ${failed} failed (run the command again)` : ''}.`);
  return failed ? 1 : 0;
}

if (import.meta.filename === process.argv[1]) {
  await runCommand('media:migrate', '[--local|--remote] [--env <name>] [--dry-run]', (parsed, root, log) =>
    migrateMedia({ root, target: parsed.target, dryRun: parsed.dryRun, runner: projectWrangler(root), log }));
}
