// Pathological markdown is bounded: the guard sees the risk before marked
// runs, and the worker falls back to escaped paragraphs. What this proves is
// structural (marked never sees what the guard refuses); how long each input
// takes, guarded and not, is for `npm run bench` to report.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Marked } from 'marked';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadContent } from '../../src/cli/content.ts';
import { assessMarkdown } from '../../src/content/markdown-guard.ts';
import { prepareBody } from '../../src/content/markdown.ts';

import { HANDLED_BY_MARKED, NEAR_LIMITS, PATHOLOGICAL } from '../../support/pathological.ts';
import { startWorker, type WorkerServer } from '../../support/worker-server.ts';

/** Checks and renders a body as the worker does, counting the times marked tokenised it. */
function renderBody(body: string): { html: string; degraded: string | null; lexed: number } {
  const lexer = vi.spyOn(Marked.prototype, 'lexer');
  const prepared = prepareBody(body);
  const html = prepared.render();
  return { html, degraded: prepared.degraded, lexed: lexer.mock.calls.length };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('at render time', () => {
  for (const [name, markdown] of Object.entries(PATHOLOGICAL)) {
    it(`degrades "${name}" to plain paragraphs without handing it to marked`, () => {
      const result = renderBody(markdown);
      expect(result.degraded).not.toBeNull();
      expect(result.lexed).toBe(0);
      expect(result.html.startsWith('<p>')).toBe(true);
    });
  }

  for (const [name, markdown] of Object.entries({ ...NEAR_LIMITS, ...HANDLED_BY_MARKED })) {
    it(`still renders "${name}" as markdown`, () => {
      const result = renderBody(markdown);
      expect(result.degraded).toBeNull();
      expect(result.lexed).toBe(1);
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
      const res = await fetch(`${worker.url}/articles/patho/case-${i}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`Case ${i}`);
    }
    expect((await fetch(`${worker.url}/`)).status).toBe(200);
  });
});
