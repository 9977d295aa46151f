import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import commonmark from 'commonmark-spec';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { defineConfig } from 'vitest/config';

// The workerd tests run every file against a fresh local D1 with the real migrations applied.
const migrations = await readD1Migrations(path.join(import.meta.dirname, 'migrations'));

// The CommonMark spec's examples (the package reads its spec.txt from disk, which
// workerd cannot), with the spec's visible tabs (→) made tabs again.
const commonmarkExamples = commonmark.tests.map((t: { markdown: string; html: string; section: string; number: number }) => ({
  ...t, markdown: t.markdown.replace(/→/g, '\t'), html: t.html.replace(/→/g, '\t'),
}));

// Real image bytes for the media tests (workerd has no encoder of its own): a sample
// photograph, a PNG drawn here, and the photograph cut short (a corrupt file).
const photo = await readFile(path.join(import.meta.dirname, 'articles/media/estuary-mist.jpg'));
const drawn = await sharp({ create: { width: 900, height: 600, channels: 3, background: { r: 30, g: 90, b: 140 } } }).png().toBuffer();
const testImages = {
  jpeg: photo.toString('base64'),
  png: drawn.toString('base64'),
  truncated: photo.subarray(0, Math.floor(photo.length / 3)).toString('base64'),
};

export default defineConfig({
  test: {
    // The JSON report is what .ci/run summarises; the default one is for people.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        // Unit and integration tests inside workerd, against real local KV
        // (isolated per test file).
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The one secret (in production it comes from `wrangler secret put`), and
            // no isolate memo, so a test sees its own writes at once; the memo has its own test.
            miniflare: { bindings: { PREVIEW_SECRET: 'test-preview-secret', PURGE_SECRET: 'test-purge-secret', ISOLATE_CACHE_TTL: '0', BANNER_LOCAL_COUNTS: 'true', TEST_MIGRATIONS: migrations, COMMONMARK_EXAMPLES: commonmarkExamples, TEST_IMAGES: testImages } },
          }),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'], setupFiles: ['test/worker/support/apply-migrations.ts'] },
      },
      {
        // End-to-end tests in Node: the bundled worker in workerd (Miniflare's
        // API), real wrangler, Varnish and Chromium.
        test: {
          name: 'e2e',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          // Varnish, wrk and Chromium: installed with apt-get when missing and possible, else one clear message.
          globalSetup: ['support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file starts its own servers; running them one at a time keeps timings honest on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
