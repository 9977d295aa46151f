/**
 * The images report (`npm run bench -- --images`, part of the full bench):
 * what resized variants save and what they cost.
 *
 * - Image bytes a reader's browser receives for the photograph-led sample
 *   articles, in Debian's Chromium at 375 px (2x, a phone) and 1280 px (1x,
 *   a laptop), every lazy picture loaded: with `IMAGE_RESIZING = "none"`
 *   (each photograph as uploaded, before) and `"images"` (after).
 * - The time to make a variant once (the Images binding, locally sharp,
 *   then the write to R2) and to serve it afterwards from R2, per format.
 *
 * Both workers are the bundle as deployed, in workerd through Miniflare,
 * with local R2 and the local Images binding.
 */
import { launchChromium } from '../support/browser.ts';
import { seedSamples } from '../support/seed.ts';
import { startWorker, type WorkerServer } from '../support/worker-server.ts';

const ARTICLES = ['/articles/local/fish-quay-first-light', '/articles/local/allotment-waiting-list'];
const VIEWPORTS = [{ width: 375, dpr: 2 }, { width: 1280, dpr: 1 }] as const;
const VARIANTS = ['/media/_/1280/allotment-rows.jpg.avif', '/media/_/1280/allotment-rows.jpg.webp', '/media/_/1280/allotment-rows.jpg', '/media/_/640/allotment-rows.jpg.avif'];

export interface ImagesReport {
  /** Per viewport: image bytes received over the sample articles, before and after. */
  page_bytes: { viewport: string; before: number; after: number; ratio: number; files_after: string[] }[];
  /** Per variant: making it (first request) and serving it (median of later ones), in ms. */
  variants: { url: string; bytes: number; make_ms: number; serve_ms: number; ratio: number }[];
}

async function pageBytes(worker: WorkerServer, width: number, dpr: number): Promise<{ bytes: number; files: string[] }> {
  const browser = await launchChromium();
  try {
    let bytes = 0;
    const files: string[] = [];
    for (const path of ARTICLES) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: dpr });
      const page = await context.newPage();
      const pending: Promise<void>[] = [];
      page.on('response', (r) => {
        if (r.request().resourceType() !== 'image') return;
        pending.push(r.body().then((b) => { bytes += b.length; files.push(new URL(r.url()).pathname); }, () => {}));
      });
      await page.goto(worker.url + path, { waitUntil: 'load' });
      // Every picture, as a reader scrolling to the end would load them.
      await page.evaluate(() => Promise.all([...document.images].map((img) => { img.loading = 'eager'; return img.decode().catch(() => {}); })));
      await Promise.all(pending);
      await context.close();
    }
    return { bytes, files };
  } finally {
    await browser.close();
  }
}

async function timed(url: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url);
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return { ms: performance.now() - started, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function imagesReport(): Promise<ImagesReport> {
  const before = await startWorker({ vars: { IMAGE_RESIZING: 'none' } });
  const after = await startWorker({ vars: { IMAGE_RESIZING: 'images' } });
  try {
    await seedSamples(before);
    await seedSamples(after);
    const variants: ImagesReport['variants'] = [];
    for (const path of VARIANTS) {
      const made = await timed(after.url + path);
      const served: number[] = [];
      for (let i = 0; i < 20; i++) served.push((await timed(after.url + path)).ms);
      const serve = median(served);
      variants.push({ url: path, bytes: made.bytes, make_ms: Math.round(made.ms), serve_ms: Number(serve.toFixed(2)), ratio: Math.round(made.ms / serve) });
    }
    const page_bytes: ImagesReport['page_bytes'] = [];
    for (const { width, dpr } of VIEWPORTS) {
      const old = await pageBytes(before, width, dpr);
      const now = await pageBytes(after, width, dpr);
      page_bytes.push({ viewport: `${width} px at ${dpr}x`, before: old.bytes, after: now.bytes, ratio: Number((now.bytes / old.bytes).toFixed(3)), files_after: now.files });
    }
    return { page_bytes, variants };
  } finally {
    await before.close();
    await after.close();
  }
}

export function formatImages(report: ImagesReport): string {
  const kb = (n: number) => `${(n / 1000).toFixed(0)} KB`;
  return [
    `Image bytes for ${ARTICLES.length} photograph-led articles (Chromium, every picture loaded):`,
    '  viewport            as uploaded    variants    after/before',
    ...report.page_bytes.map((p) => `  ${p.viewport.padEnd(18)}  ${kb(p.before).padStart(11)}  ${kb(p.after).padStart(10)}    ${p.ratio.toFixed(3)}`),
    '',
    'Making a variant once, then serving it from R2:',
    '  variant                                   bytes    make     serve    make/serve',
    ...report.variants.map((v) => `  ${v.url.padEnd(40)}  ${kb(v.bytes).padStart(6)}  ${`${v.make_ms} ms`.padStart(8)}  ${`${v.serve_ms} ms`.padStart(8)}  ${String(v.ratio).padStart(6)}×`),
  ].join('\n');
}
