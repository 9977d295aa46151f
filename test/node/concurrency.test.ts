// Requests that overlap in time, over real HTTP into workerd, each in its own
// request context. Workers forbid one request from waiting on I/O another
// started ("Cannot perform I/O on behalf of a different request"); the
// in-isolate memos must never make them, even when clients hang up mid-read.
// (The benchmark found this: a KV read shared between requests, whose own
// request was cancelled, left every later request failing.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWrk } from '../../support/wrk.ts';
import { seedGenerated, seedSamples } from '../../support/seed.ts';
import { startWorker, type WorkerServer } from '../../support/worker-server.ts';

let worker: WorkerServer;
let slugs: string[];
let stories: string[];

beforeAll(async () => {
  // No memo lifetime and a tiny cache: every request reads KV, so reads overlap all the time.
  worker = await startWorker({ vars: { ISOLATE_CACHE_TTL: '0', RENDER_CACHE_MB: '1' } });
  slugs = await seedSamples(worker);
  stories = await seedGenerated(worker, 300, 10_000);
}, 120_000);

afterAll(async () => {
  await worker?.close();
});

describe('overlapping requests', () => {
  it('all succeed, run after run, though each run ends by dropping requests in flight', async () => {
    const requests = [...stories.map((s) => `/articles/${s}`), '/', `/articles/${slugs[0]}`].map((path, i) => ({
      path, headers: { 'CF-IPCountry': ['GB', 'US', 'DE'][i % 3]! },
    }));
    for (let run = 0; run < 5; run++) {
      const result = await runWrk(worker.url, requests, { seconds: 3, connections: 16, threads: 1 });
      expect(Object.keys(result.statuses), `run ${run}: ${JSON.stringify(result.statuses)}`).toEqual(['200']);
    }
  }, 120_000);

  it('keep working after clients hang up mid-request', async () => {
    for (let round = 0; round < 5; round++) {
      const controllers = Array.from({ length: 30 }, () => new AbortController());
      const pending = controllers.map((c, i) =>
        fetch(`${worker.url}/articles/${slugs[i % 3]}`, { signal: c.signal }).then((r) => r.arrayBuffer()).catch(() => null));
      await new Promise((r) => setTimeout(r, 2 + round));
      controllers.forEach((c) => c.abort());
      await Promise.all(pending);
    }
    const statuses = await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      const res = await fetch(`${worker.url}/articles/${slugs[i % 3]}`, { signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status;
    }));
    expect(statuses).toEqual(Array(30).fill(200));
  });
});
