// Media through the editors' commands and the real wrangler CLI into local R2:
// publishing photographs (checked, uploaded once, never overwritten), files
// far larger than KV could hold, and moving a site's media from KV to R2,
// each read back through the bundled worker in workerd with local R2 and
// the local Images binding.
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMedia } from '../../src/cli/media-migrate.ts';
import { imageDimensions } from '../../src/media/dimensions.ts';
import { sniffFormat } from '../../src/media/formats.ts';
import { article, desks, recordingRunner, wrangler } from '../../support/desk.ts';
import { ROOT } from '../../support/worker-server.ts';

let newDesk: Awaited<ReturnType<typeof desks>>['newDesk'];
let cleanup: () => Promise<void>;
let photo: Buffer;

beforeAll(async () => {
  ({ newDesk, cleanup } = await desks());
  photo = await readFile(path.join(ROOT, 'articles/media/harbour-first-light.jpg'));
});

afterAll(async () => {
  await cleanup();
});

const withPhoto = article('Dawn at the quay', 'image:\n  src: /media/dawn.jpg\n  alt: The sun over the harbour\nsection: local\n');

async function mediaRows(desk: Awaited<ReturnType<typeof newDesk>>): Promise<{ name: string; hash: string; width: number; height: number; source: string }[]> {
  const { stdout } = await desk.sql('SELECT name, hash, width, height, source FROM media ORDER BY name');
  return JSON.parse(stdout.slice(stdout.indexOf('[')))[0].results;
}

describe('publishing media to R2', () => {
  it('uploads a photograph to R2 once, records it, and the page offers it resized', async () => {
    const desk = await newDesk();
    await desk.write('news/dawn.md', withPhoto);
    await desk.write('media/dawn.jpg', photo);
    const first = await desk.publish();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/added\s+\/media\/dawn\.jpg \(674 KB, 2400×1600\)/);
    expect(first.output).toContain('media added to R2');
    expect(await mediaRows(desk)).toContainEqual(expect.objectContaining({ name: 'dawn.jpg', width: 2400, height: 1600, source: 'publish' }));

    const { runner, commands } = recordingRunner();
    const again = await desk.publish([], { runner });
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/unchanged\s+\/media\/dawn\.jpg/);
    expect(commands).not.toContain('r2 bulk put');

    await desk.withWorker(async (worker) => {
      const res = await fetch(`${worker.url}/media/dawn.jpg`);
      expect(res.status).toBe(200);
      expect(res.headers.get('X-Media-Source')).toBe('r2');
      expect(res.headers.get('Content-Type')).toBe('image/jpeg');
      expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
      // Nothing went to KV.
      expect(await worker.kv.get('media/dawn.jpg')).toBeNull();
      const html = await (await fetch(`${worker.url}/articles/news/dawn`)).text();
      expect(html).toContain('<source type="image/avif" srcset="/media/_/400/dawn.jpg.avif 400w');
      const variant = await fetch(`${worker.url}/media/_/640/dawn.jpg.avif`);
      const bytes = new Uint8Array(await variant.arrayBuffer());
      expect(sniffFormat(bytes)).toBe('avif');
      expect(imageDimensions(bytes)).toEqual({ width: 640, height: 427 });
    });
  });

  it('refuses new bytes under a published name, and R2 keeps the old ones', async () => {
    const desk = await newDesk();
    await desk.write('news/dawn.md', withPhoto);
    await desk.write('media/dawn.jpg', photo);
    expect((await desk.publish()).code).toBe(0);
    const edited = await sharp(photo).modulate({ brightness: 1.2 }).jpeg().toBuffer();
    const file = await desk.write('media/dawn.jpg', edited);
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    expect(code).toBe(1);
    expect(output).toContain(`${path.relative(process.cwd(), file)}:1: /media/dawn.jpg is already published with different content`);
    expect(output).toContain('nothing was uploaded');
    expect(commands.filter((c) => c.startsWith('r2') || c === 'kv bulk put')).toEqual([]);
    await desk.withWorker(async (worker) => {
      expect(Buffer.from(await (await fetch(`${worker.url}/media/dawn.jpg`)).arrayBuffer()).equals(photo)).toBe(true);
    });
  });

  it('refuses corrupt, empty, misnamed and oversized images at their file, uploading nothing', async () => {
    const desk = await newDesk();
    const bad: [string, Uint8Array | string, string][] = [
      ['cut-short.jpg', photo.subarray(0, photo.length / 2), 'cannot be decoded'],
      ['empty.png', new Uint8Array(0), 'the file is empty'],
      ['really-a-png.jpg', await sharp(photo).resize(100).png().toBuffer(), 'the file is a PNG, but its name ends in .jpg: rename it to .png'],
      ['not-an-image.webp', 'hello', 'the file does not look like a WebP'],
      ['too-wide.png', await sharp({ create: { width: 12_500, height: 4, channels: 3, background: '#000' } }).png().toBuffer(), 'no side may exceed 12,000 px'],
      ['Bad Name.jpg', photo, 'is not a media name'],
    ];
    for (const [name, bytes] of bad) await desk.write(`media/${name}`, bytes);
    const { runner, commands } = recordingRunner();
    const { code, output } = await desk.publish([], { runner });
    expect(code).toBe(1);
    for (const [name, , message] of bad) {
      const line = output.split('\n').find((l) => l.includes(`media/${name}:1:`));
      expect(line, `${name}\n${output}`).toContain(message);
    }
    expect(commands).toEqual([]);
  });

  it('uploads a 200 MB video and serves ranges of it', { timeout: 180_000 }, async () => {
    const desk = await newDesk();
    const file = await desk.write('media/harbour-tour.mp4', new Uint8Array(0));
    // An MP4 header, then 200 MB; the last kilobyte is marked, so a range read can be checked.
    const size = 200 * 1024 * 1024;
    const handle = await open(file, 'w');
    await handle.write(Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), 0, 24, 0);
    await handle.write(Buffer.alloc(1024, 'end of the tour '), 0, 1024, size - 1024);
    await handle.close();
    const { code, output } = await desk.publish();
    expect(code, output).toBe(0);
    expect(output).toMatch(/added\s+\/media\/harbour-tour\.mp4 \(209\.7 MB\)/);
    await desk.withWorker(async (worker) => {
      const head = await fetch(`${worker.url}/media/harbour-tour.mp4`, { method: 'HEAD' });
      expect(head.headers.get('Content-Length')).toBe(String(size));
      expect(head.headers.get('Content-Type')).toBe('video/mp4');
      const tail = await fetch(`${worker.url}/media/harbour-tour.mp4`, { headers: { Range: 'bytes=-16' } });
      expect(tail.status).toBe(206);
      expect(tail.headers.get('Content-Range')).toBe(`bytes ${size - 16}-${size - 1}/${size}`);
      expect(await tail.text()).toBe('end of the tour ');
      const past = await fetch(`${worker.url}/media/harbour-tour.mp4`, { headers: { Range: `bytes=${size}-` } });
      expect(past.status).toBe(416);
    });
  });
});

describe('npm run media:migrate', () => {
  const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

  async function deskWithKvMedia() {
    const desk = await newDesk({ published: true });
    // Media as an older publish left them: in KV, with the content hash in their metadata.
    const files = { 'dawn.jpg': photo, 'chart.png': await sharp(photo).resize(300).png().toBuffer() };
    for (const [name, bytes] of Object.entries(files)) {
      const file = await desk.write(`media/${name}`, bytes);
      await wrangler(['kv', 'key', 'put', `media/${name}`, '--path', file, '--metadata', JSON.stringify({ v: 1, hash: sha(bytes) }), '--binding', 'ARTICLES', '--local', '--persist-to', desk.state]);
    }
    return { desk, files };
  }

  it('copies every media key from KV to R2, records it, and does nothing the second time', { timeout: 120_000 }, async () => {
    const { desk, files } = await deskWithKvMedia();
    const lines: string[] = [];
    expect(await migrateMedia({ root: ROOT, target: desk.target, runner: wrangler, log: (l) => lines.push(l) })).toBe(0);
    const output = lines.join('\n');
    // The desk's own ferry.svg went to R2 when it was published; the two files in KV alone are copied.
    expect(output).toContain('2 media keys in KV; 0 already in R2; 2 to copy.');
    expect(output).toMatch(/copied\s+\/media\/chart\.png/);
    expect(output).toMatch(/copied\s+\/media\/dawn\.jpg/);
    expect(output).toContain('Copied 2 files');
    expect((await mediaRows(desk)).map((r) => [r.name, r.source])).toEqual([['chart.png', 'migrate'], ['dawn.jpg', 'migrate'], ['ferry.svg', 'publish']]);
    await desk.withWorker(async (worker) => {
      for (const [name, bytes] of Object.entries(files)) {
        const res = await fetch(`${worker.url}/media/${name}`);
        expect(res.headers.get('X-Media-Source'), name).toBe('r2');
        expect(Buffer.from(await res.arrayBuffer()).equals(bytes), name).toBe(true);
      }
    });

    const { runner, commands } = recordingRunner();
    const again: string[] = [];
    expect(await migrateMedia({ root: ROOT, target: desk.target, runner, log: (l) => again.push(l) })).toBe(0);
    expect(again.join('\n')).toContain('2 media keys in KV; 2 already in R2; 0 to copy.');
    expect(commands).toEqual(['kv key list', 'd1 execute INDEX']);
    // And a publish now finds them in R2, unchanged.
    const published = await desk.publish();
    expect(published.output).toMatch(/unchanged\s+\/media\/dawn\.jpg/);
  });

  it('resumes where a failure stopped it', { timeout: 120_000 }, async () => {
    const { desk } = await deskWithKvMedia();
    let uploads = 0;
    const failSecond = (args: string[]) => (args[0] === 'r2' && ++uploads === 2 ? Promise.resolve({ code: 1, stdout: '', stderr: 'R2 is down' }) : wrangler(args));
    const lines: string[] = [];
    await expect(migrateMedia({ root: ROOT, target: desk.target, runner: failSecond, log: (l) => lines.push(l), batch: 1 })).rejects.toThrow('R2 is down');
    expect((await mediaRows(desk)).map((r) => r.name)).toEqual(['chart.png', 'ferry.svg']);
    const rest: string[] = [];
    expect(await migrateMedia({ root: ROOT, target: desk.target, runner: wrangler, log: (l) => rest.push(l), batch: 1 })).toBe(0);
    expect(rest.join('\n')).toContain('2 media keys in KV; 1 already in R2; 1 to copy.');
    expect((await mediaRows(desk)).map((r) => r.name)).toEqual(['chart.png', 'dawn.jpg', 'ferry.svg']);
  });

  it('runs as npm run media:migrate, and dry-runs without copying', async () => {
    const { execFile } = await import('node:child_process');
    const output = await new Promise<string>((resolve, reject) => {
      execFile('npm', ['run', '--silent', 'media:migrate', '--', '--local', '--dry-run'], { cwd: ROOT, env: { ...process.env } }, (error, stdout, stderr) =>
        (error ? reject(new Error(`${stdout}${stderr}`)) : resolve(stdout)));
    });
    // Over the project's own local state: the command runs and reports, copying nothing.
    expect(output).toMatch(/media keys? in KV; \d+ already in R2; \d+ to copy \(dry run: nothing copied\)\./);
  });
});
