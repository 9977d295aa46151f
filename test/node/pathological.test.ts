// Pathological markdown is bounded: the guard sees the risk before marked
// runs, and the worker falls back to escaped paragraphs. Timing bounds here
// are deliberately generous (unguarded, several of these take seconds).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/cli/content.ts';
import { assessMarkdown } from '../../src/content/markdown-guard.ts';
import { prepareBody } from '../../src/content/markdown.ts';

/** Checks and renders a body as the worker does. */
function renderBody(body: string): { html: string; degraded: string | null } {
  const prepared = prepareBody(body);
  return { html: prepared.render(), degraded: prepared.degraded };
}
import { HANDLED_BY_MARKED, NEAR_LIMITS, PATHOLOGICAL } from '../support/pathological.ts';
import { startWorker, type WorkerServer } from '../support/worker-server.ts';

const GENEROUS_MS = 500;

function timed<T>(run: () => T): [T, number] {
  const started = performance.now();
  const result = run();
  return [result, performance.now() - started];
}

beforeAll(() => {
  renderBody('warm *up* [x](https://x.test) `c`\n\n- a\n\n> q'); // let the JIT compile marked first
});

describe('at render time', () => {
  for (const [name, markdown] of Object.entries(PATHOLOGICAL)) {
    it(`degrades "${name}" to plain paragraphs, quickly`, () => {
      const [result, ms] = timed(() => renderBody(markdown));
      expect(result.degraded).not.toBeNull();
      expect(result.html.startsWith('<p>')).toBe(true);
      expect(ms).toBeLessThan(GENEROUS_MS);
    });
  }

  for (const [name, markdown] of Object.entries({ ...NEAR_LIMITS, ...HANDLED_BY_MARKED })) {
    it(`still renders "${name}" as markdown, quickly`, () => {
      const [result, ms] = timed(() => renderBody(markdown));
      expect(result.degraded).toBeNull();
      expect(ms).toBeLessThan(GENEROUS_MS);
    });
  }

  it('points at the line where the risk starts', () => {
    expect(assessMarkdown(`Fine.\n\n${'>'.repeat(40)} x`)).toEqual({ line: 3, message: 'markdown nests 40 levels deep; the limit is 16' });
  });

  it('does not count fenced code', () => {
    expect(assessMarkdown(`\`\`\`\n${'_a'.repeat(5000)}\n${'> '.repeat(100)}\n\`\`\``)).toBeNull();
  });
});

describe('at publish', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'broadsheet-patho-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses every pathological body with its line', async () => {
    const files: string[] = [];
    for (const [i, markdown] of Object.values(PATHOLOGICAL).entries()) {
      const file = path.join(dir, `case-${i}.md`);
      await writeFile(file, `---\ntitle: Case ${i}\ndate: 2026-01-01\n---\n\n${markdown}\n`);
      files.push(file);
    }
    const { articles, problems } = await loadContent(dir, files);
    expect(articles).toEqual([]);
    const errors = problems.filter((p) => p.severity === 'error');
    expect(new Set(errors.map((p) => p.file)).size).toBe(files.length);
    for (const p of errors) expect(p.line).toBeGreaterThanOrEqual(6);
  });
});

describe('through the worker', () => {
  let worker: WorkerServer;
  beforeAll(async () => {
    worker = await startWorker();
    for (const [i, markdown] of Object.values(PATHOLOGICAL).entries()) {
      // As a plain `wrangler kv key put` would: no validation, no metadata.
      await worker.kv.put(`patho/case-${i}`, `---\ntitle: Case ${i}\ndate: 2026-01-01\n---\n\n${markdown}\n`);
    }
  }, 120_000);
  afterAll(async () => {
    await worker?.close();
  });

  it('serves every pathological article, and the index, without failing', async () => {
    for (let i = 0; i < Object.keys(PATHOLOGICAL).length; i++) {
      const started = performance.now();
      const res = await fetch(`${worker.url}/articles/patho/case-${i}`);
      const ms = performance.now() - started;
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`Case ${i}`);
      expect(ms).toBeLessThan(GENEROUS_MS * 4);
    }
    expect((await fetch(`${worker.url}/`)).status).toBe(200);
  });
});
