// The caches in front get their country → group table from the worker's own
// (npm run vcl): the README's VCL is exactly what the generator prints, a real
// Varnish running it gives every country the worker's group, and the Fastly
// and CloudFront versions map every code as the worker does.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudfrontFunction, fastlyVcl, varnishVcl } from '../../src/cli/proxy-config.ts';
import { GROUP_CANONICAL_COUNTRY, GROUP_COUNTRIES, groupForCountry, parseCountry } from '../../src/content/region-groups.ts';
import { published } from '../../support/published.ts';
import { indexRows } from '../../support/seed.ts';
import { readmeVcl, startVarnish, type Varnish } from '../../support/varnish.ts';
import { ROOT, startWorker, type WorkerServer } from '../../support/worker-server.ts';

const run = promisify(execFile);

/** Every two-letter code, AA to ZZ. */
const ALL_CODES = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)));

/** What the worker makes of a code, as the code that stands for its group. */
const canonical = (code: string | null) => GROUP_CANONICAL_COUNTRY[groupForCountry(parseCountry(code))];

describe('npm run vcl', () => {
  it('prints the README\'s VCL exactly', async () => {
    const { stdout } = await run(process.execPath, ['src/cli/proxy-config.ts'], { cwd: ROOT });
    expect(stdout).toBe(varnishVcl());
    expect(await readmeVcl(ROOT)).toBe(stdout);
  });

  it('refuses a header that is not a header name', async () => {
    await expect(run(process.execPath, ['src/cli/proxy-config.ts', '--header', 'X"; ban'], { cwd: ROOT })).rejects.toMatchObject({ code: 2 });
  });

  it('writes a CloudFront Function that maps every code and a missing header as the worker does', () => {
    const context = vm.createContext({});
    vm.runInContext(cloudfrontFunction(), context);
    const handler = context.handler as (event: unknown) => { headers: Record<string, { value: string }> };
    for (const code of [...ALL_CODES, 'gb', 'xx']) {
      const out = handler({ request: { headers: { 'cloudfront-viewer-country': { value: code }, cookie: { value: 'a=b' } } } });
      expect(out.headers['x-country-code']!.value, code).toBe(canonical(code));
      expect(out.headers.cookie).toBeUndefined();
    }
    expect(handler({ request: { headers: {} } }).headers['x-country-code']!.value).toBe('XX');
  });

  it('writes a Fastly table with every listed country under its group, and INTL as the fallback', () => {
    const vcl = fastlyVcl();
    const rows = [...vcl.matchAll(/^ {2}"([A-Z]{2})": "([A-Z]{2})",?$/gm)].map((m) => [m[1]!, m[2]!] as const);
    const listed = Object.values(GROUP_COUNTRIES).flat();
    expect(rows.map(([code]) => code).sort()).toEqual([...listed].sort());
    for (const [code, value] of rows) expect(value, code).toBe(canonical(code));
    expect(vcl).toContain(`client.geo.country_code, "${GROUP_CANONICAL_COUNTRY.INTL}")`);
  });
});

describe('the README\'s VCL in a real Varnish', () => {
  let worker: WorkerServer;
  let varnish: Varnish;

  beforeAll(async () => {
    worker = await startWorker({ vars: { REGION_HEADERS: 'CF-IPCountry', ISOLATE_CACHE_TTL: '0' } });
    const story = await published('world/mapped', '---\ntitle: Mapped\ndate: 2026-11-20T08:00:00Z\n---\n\nText.\n');
    await worker.kv.put(story.slug, story.source, { metadata: story.metadata });
    await indexRows(worker, [story.row]);
    varnish = await startVarnish(new URL(worker.url).host, await readmeVcl(ROOT));
  }, 120_000);

  afterAll(async () => {
    await varnish?.close();
    await worker?.close();
  });

  it('gives every country listed in a group, and others, the worker\'s own group', async () => {
    const codes = [...Object.values(GROUP_COUNTRIES).flat(), 'JP', 'BR', 'IN', 'ZA', 'XX', 'T1', 'gb', 'de', '', 'GBR', '<x>'];
    for (const code of codes) {
      const res = await fetch(`${varnish.url}/articles/world/mapped`, { headers: code ? { 'CF-IPCountry': code } : {} });
      const group = /data-region="([A-Z]+)"/.exec(await res.text())?.[1];
      expect(group, JSON.stringify(code)).toBe(groupForCountry(parseCountry(code)));
    }
  });

  it('refuses a ban whose tag list could be a pattern, and bans a list of tags', async () => {
    const bad = await fetch(varnish.url, { method: 'BAN', headers: { 'Surrogate-Key': 'index|.*' } });
    expect(bad.status).toBe(400);
    const ok = await fetch(varnish.url, { method: 'BAN', headers: { 'Surrogate-Key': 'index article:world/mapped' } });
    expect(ok.status).toBe(200);
  });

  it('never answers If-Modified-Since alone with a 304, as the worker does not', async () => {
    const first = await fetch(`${varnish.url}/articles/world/mapped`, { headers: { 'CF-IPCountry': 'US' } });
    await first.arrayBuffer();
    const since = await fetch(`${varnish.url}/articles/world/mapped`, { headers: { 'CF-IPCountry': 'US', 'If-Modified-Since': first.headers.get('Last-Modified')! } });
    expect(since.status).toBe(200);
    const tagged = await fetch(`${varnish.url}/articles/world/mapped`, { headers: { 'CF-IPCountry': 'US', 'If-None-Match': first.headers.get('ETag')! } });
    expect(tagged.status).toBe(304);
  });
});
