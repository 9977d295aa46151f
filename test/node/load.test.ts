// A short version of `npm run load`: wrk against the bundled worker over the
// whole mix, more articles than the render cache holds. Every response must be
// what its request should get.
import { describe, expect, it } from 'vitest';
import { runLoad } from '../../support/load.ts';

describe('under load', () => {
  it('answers every request as it should, with memory that stays bounded', async () => {
    const report = await runLoad({ seconds: 5, connections: 16, renderCacheMb: 4, generated: 120 });
    console.log(`load (short): ${report.requests} requests, statuses ${JSON.stringify(report.statuses)}, ` +
      `p99 ${report.p99_ms.toFixed(1)} ms, workerd ${report.rss_mb.start}→${report.rss_mb.peak} MB`);
    expect(report.requests).toBeGreaterThan(200);
    expect(report.unexpected).toBe(0);
    for (const status of ['200', '304', '404']) expect(report.statuses[status], status).toBeGreaterThan(0);
    // A leak would grow without bound; a render cache of 4 MB and V8's heap do not.
    expect(report.rss_mb.peak).toBeLessThan(1536);
  }, 120_000);
});
