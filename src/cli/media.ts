/**
 * Media on the publisher's side: checking a file before it may go up
 * (its name, its bytes against its extension, its size, and for raster
 * images a full decode with sharp), the D1 record of what R2 holds, and the
 * upload itself through wrangler into the MEDIA bucket.
 *
 * The `media` table is the record a publish compares against: wrangler has
 * no listing of an R2 bucket, and reading objects back to compare them would
 * download every photograph on every publish. Each upload is followed by its
 * rows in the same D1 transaction as the articles that use it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { imageDimensions } from '../media/dimensions.ts';
import { MAX_IMAGE_PIXELS, formatOfName, isResizable, mediaProblem, mediaType } from '../media/formats.ts';
import { inlineStatement, mediaAmongStatement, type MediaRow } from '../storage/index-sql.ts';
import { MEDIA_PREFIX, contentHash } from '../storage/kv-format.ts';
import { queryIndex } from './index-writer.ts';
import { runOrThrow, type Target, type WranglerRunner } from './wrangler.ts';

/** wrangler uploads an R2 object in one request of at most 300 MiB (no multipart); larger files are refused before anything is sent. */
export const MAX_MEDIA_BYTES = 300 * 1024 * 1024;

/** A media file ready to upload. */
export interface MediaFile {
  file: string;
  /** The name under `/media/`. */
  name: string;
  /** The R2 key (and the KV key media had before R2), `media/<name>`. */
  key: string;
  size: number;
  hash: string;
  type: string;
  width: number | null;
  height: number | null;
}

/** Reads and checks one media file: the file ready to upload, or why it may not be published. */
export async function checkMediaFile(file: string, name: string): Promise<MediaFile | { problem: string }> {
  const type = mediaType(name);
  const bytes = await readFile(file).catch(() => null);
  if (!bytes) return { problem: `cannot read ${file}` };
  if (bytes.byteLength > MAX_MEDIA_BYTES) return { problem: `the file is ${(bytes.byteLength / 2 ** 20).toFixed(0)} MiB; at most 300 MiB can be uploaded` };
  const head = new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 256 * 1024));
  const problem = mediaProblem(name, head, bytes.byteLength);
  if (problem || !type) return { problem: problem ?? 'not a media name' };
  const size = imageDimensions(head);
  if (isResizable(formatOfName(name))) {
    // The header can be fine and the rest cut short or garbled: decode it all, as resizing will.
    try {
      await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS }).stats();
    } catch (error) {
      return { problem: `the image cannot be decoded (${error instanceof Error ? error.message : String(error)}): it is corrupt or cut short` };
    }
  }
  return {
    file, name, key: MEDIA_PREFIX + name, size: bytes.byteLength, hash: await contentHash(new Uint8Array(bytes)), type,
    width: size?.width ?? null, height: size?.height ?? null,
  };
}

/** The MEDIA bucket's name in wrangler.toml, for the top level or an environment. */
export async function mediaBucketName(root: string, env?: string): Promise<string> {
  const toml = await readFile(path.join(root, 'wrangler.toml'), 'utf8');
  const header = env ? `[[env.${env}.r2_buckets]]` : '[[r2_buckets]]';
  const lines = toml.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== header) continue;
    const block: Record<string, string> = {};
    for (let j = i + 1; j < lines.length && !lines[j]!.trim().startsWith('['); j++) {
      const match = /^\s*(\w+)\s*=\s*"([^"]*)"/.exec(lines[j]!);
      if (match) block[match[1]!] = match[2]!;
    }
    if (block.binding === 'MEDIA' && block.bucket_name) return block.bucket_name;
  }
  throw new Error(`wrangler.toml has no ${header} with binding = "MEDIA" and a bucket_name`);
}

/** What the media table records for `names`: name → hash. */
export async function readMediaManifest(runner: WranglerRunner, target: Target, names: string[]): Promise<Map<string, string>> {
  const held = new Map<string, string>();
  for (let i = 0; i < names.length; i += 1000) {
    const rows = await queryIndex<{ name: string; hash: string }>(runner, target, inlineStatement(mediaAmongStatement(names.slice(i, i + 1000))));
    for (const row of rows) held.set(row.name, row.hash);
  }
  return held;
}

/** The row recording a file stored in R2. */
export function mediaRow(m: MediaFile, source: MediaRow['source']): MediaRow {
  return { name: m.name, hash: m.hash, bytes: m.size, type: m.type, width: m.width, height: m.height, source };
}

/** The flags that point a `wrangler r2` command at the target's storage. */
function r2TargetArgs(target: Target): string[] {
  const args = [target.remote ? '--remote' : '--local'];
  if (!target.remote && target.persistTo) args.push('--persist-to', target.persistTo);
  if (target.env) args.push('--env', target.env);
  return args;
}

/**
 * Uploads files to the MEDIA bucket: one `wrangler r2 bulk put` per content
 * type (the type is a flag of the command, not of each entry).
 */
export async function uploadMedia(runner: WranglerRunner, target: Target, bucket: string, files: { key: string; file: string; type: string }[]): Promise<void> {
  if (files.length === 0) return;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-media-'));
  try {
    const byType = Map.groupBy(files, (f) => f.type);
    let n = 0;
    for (const [type, group] of byType) {
      const list = path.join(dir, `media-${n++}.json`);
      await writeFile(list, JSON.stringify(group.map((f) => ({ key: f.key, file: path.resolve(f.file) }))));
      await runOrThrow(runner, ['r2', 'bulk', 'put', bucket, '--filename', list, '--content-type', type, '--concurrency', '4', ...r2TargetArgs(target)]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
