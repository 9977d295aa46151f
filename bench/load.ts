/**
 * `npm run load -- [--seconds 60] [--connections 64] [--out FILE]`
 *
 * The load run of `support/load.ts`, reported for people; exits 1 when any
 * response was not what its request should get.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runLoad } from '../support/load.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '64' }, out: { type: 'string' } },
});
const report = await runLoad({ seconds: Number(values.seconds), connections: Number(values.connections) });
console.log(`load: ${report.requests} requests in ${report.seconds.toFixed(1)} s at ${report.connections} connections ` +
  `(${Math.round(report.rps)} req/s), p50 ${report.p50_ms.toFixed(2)} ms, p99 ${report.p99_ms.toFixed(2)} ms`);
console.log(`statuses: ${JSON.stringify(report.statuses)}; socket errors: ${JSON.stringify(report.socket_errors)}; unexpected: ${report.unexpected}`);
console.log(`workerd memory: ${report.rss_mb.start} MB at start, ${report.rss_mb.peak} MB peak, ${report.rss_mb.end} MB at end ` +
  `(render cache budget ${report.render_cache_mb} MB); every 5 s: ${report.rss_mb.every_5s.join(', ')} MB`);
if (values.out) await writeFile(values.out, `${JSON.stringify(report, null, 2)}\n`);
if (report.unexpected > 0) process.exitCode = 1;

