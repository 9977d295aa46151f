// npm run smoke: the check a publisher runs after deploying, run here against
// the bundled worker in workerd, behind a real Varnish with the README's VCL,
// and against origins that break the contract, which it must catch.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smoke } from '../../src/cli/smoke.ts';
import { seedSamples } from '../../support/seed.ts';
import { readmeVcl, startVarnish, type Varnish } from '../../support/varnish.ts';
import { ROOT, startWorker, type WorkerServer } from '../../support/worker-server.ts';

const run = promisify(execFile);
let worker: WorkerServer;
let varnish: Varnish;

beforeAll(async () => {
  worker = await startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry' } });
  await seedSamples(worker);
  varnish = await startVarnish(new URL(worker.url).host, await readmeVcl(ROOT));
}, 120_000);

afterAll(async () => {
  await varnish?.close();
  await worker?.close();
});

const failures = (checks: Awaited<ReturnType<typeof smoke>>) => checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

describe('npm run smoke', () => {
  it('passes against the worker, and says when no cache is in front', async () => {
    const checks = await smoke(worker.url);
    expect(failures(checks)).toEqual([]);
    expect(checks.length).toBeGreaterThan(40);
    expect(checks.find((c) => c.skipped)?.name).toMatch(/no CF-Cache-Status, Age or X-Varnish/);
  });

  it('passes behind Varnish with the README\'s VCL, and sees the repeated request hit the cache', async () => {
    const checks = await smoke(varnish.url);
    expect(failures(checks)).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('cache in front'))).toMatchObject({ name: 'cache in front: the second request is a hit', ok: true });
  });

  it('catches an origin that drops validators, sets a cookie or keys nothing by region', async () => {
    const broken: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.delete('ETag');
      headers.delete('Vary');
      headers.set('Set-Cookie', 'id=1');
      return new Response(res.status === 304 ? null : await res.arrayBuffer(), { status: res.status, headers });
    };
    const names = failures(await smoke(worker.url, broken)).join('\n');
    expect(names).toContain('article page (/articles/');
    expect(names).toContain('is not strong');
    expect(names).toContain('Set-Cookie on a cacheable response');
    expect(names).toContain('article pages vary on a region header');
    expect(names).toContain('region variants differ from each other');
  });

  it('exits 0 with a summary against a good origin, and 1 with a readable report against a bad one', async () => {
    const good = await run(process.execPath, ['src/cli/smoke.ts', worker.url], { cwd: ROOT });
    expect(good.stdout).toMatch(/\n(\d+) of \1 checks passed against http:\/\/127\.0\.0\.1:\d+\./);
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<a href="/articles/one">One</a><h1>Plain page</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const bad = await run(process.execPath, ['src/cli/smoke.ts', `http://127.0.0.1:${port}`], { cwd: ROOT }).then(() => ({ code: 0, stdout: '' }), (e: { code: number; stdout: string }) => e);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('✗ front page (/): caching headers: Cache-Control ""');
      expect(bad.stdout).toMatch(/\d+ of \d+ checks passed/);
    } finally {
      server.close();
    }
    const usage = await run(process.execPath, ['src/cli/smoke.ts', 'not-a-url'], { cwd: ROOT }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run smoke -- <origin>');
  });
});
