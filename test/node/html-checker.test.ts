// Every edition's front and the pages around it (a corrected article, /corrections, a 410, a right-to-left article)
// through the Nu HTML checker (the W3C's validator, run locally from the npm package vnu-jar): no errors.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vnu from 'vnu-jar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFronts, seedSamples, seedTakedown } from '../../support/seed.ts';
import { startWorker, type WorkerServer } from '../../support/worker-server.ts';

const run = promisify(execFile);
let worker: WorkerServer;
let dir: string;

beforeAll(async () => {
  worker = await startWorker();
  await seedSamples(worker);
  await seedFronts(worker);
  await seedTakedown(worker, 'local/withdrawn-story', 'Removed after a complaint we upheld.');
  dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-vnu-'));
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await rm(dir, { recursive: true, force: true });
});

interface VnuMessage { type: string; subType?: string; message: string; url: string; lastLine?: number }

describe('the Nu HTML checker', () => {
  it('finds no errors on the fronts, /latest, a corrected article, /corrections, a 410, a right-to-left article and a photograph-led article and its gallery', async () => {
    const pages: [string, string, string, number][] = [
      ['front-uk', '/', 'GB', 200], ['front-us', '/', 'US', 200], ['edition-uk', '/editions/uk', 'JP', 200], ['edition-us', '/editions/us', 'JP', 200],
      ['latest', '/latest', 'GB', 200], ['corrected', '/articles/local/bridge-repairs', 'GB', 200], ['corrections', '/corrections', 'GB', 200],
      ['gone', '/articles/local/withdrawn-story', 'GB', 410], ['rtl', '/articles/world/middle-east/amman-rooftop-library', 'GB', 200],
      ['photographs', '/articles/local/fish-quay-first-light', 'GB', 200], ['photo gallery', '/gallery/local/fish-quay-first-light', 'GB', 200],
    ];
    const files: string[] = [];
    for (const [name, route, country, status] of pages) {
      const res = await fetch(worker.url + route, { headers: { 'CF-IPCountry': country } });
      expect(res.status, route).toBe(status);
      const file = path.join(dir, `${name}.html`);
      await writeFile(file, await res.text());
      files.push(file);
    }
    // vnu exits non-zero when it finds errors; its JSON report on stderr says which.
    const result = await run('java', ['-jar', vnu, '--format', 'json', '--errors-only', ...files]).catch((error: { stderr: string }) => error);
    const messages = (JSON.parse(result.stderr) as { messages: VnuMessage[] }).messages;
    expect(messages.map((m) => `${path.basename(m.url)}:${m.lastLine ?? 0}: ${m.message}`)).toEqual([]);
  }, 120_000);

  it('does report an error it should, so a clean report means something', async () => {
    const file = path.join(dir, 'broken.html');
    await writeFile(file, '<!doctype html><html lang="en"><head><title>x</title></head><body><h1>One<h1>Two</p></body></html>');
    const result = await run('java', ['-jar', vnu, '--format', 'json', '--errors-only', file]).catch((error: { stderr: string }) => error);
    expect((JSON.parse(result.stderr) as { messages: VnuMessage[] }).messages.length).toBeGreaterThan(0);
  }, 60_000);
});
