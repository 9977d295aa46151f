// The reader's region, read only from the configured request headers (and
// request.cf), picks one of seven banners; the page varies on those headers
// and on nothing else, and banner copy can be overridden from KV.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_SCRIPT, SUPPORT_SCRIPT_HASH } from '../../../src/region/banner-script.ts';
import { BANNERS_KEY } from '../../../src/storage/kv-format.ts';
import { UK_OVERRIDE } from '../support/fixtures.ts';
import { articleFile, bannerRegion, fetchApp, seedArticle } from '../support/helpers.ts';

const ARTICLE = '/articles/world/story';

/** The article as a reader in `country` (CF-IPCountry) gets it. */
function readFrom(country: string): Promise<Response> {
  return fetchApp(ARTICLE, { headers: { 'CF-IPCountry': country } });
}

beforeAll(async () => {
  await seedArticle('world/story', articleFile('title: A story\ndate: 2026-11-01T10:00:00Z'));
});

describe('regions', () => {
  const cases: [string, string][] = [
    ['US', 'US'], ['GB', 'UK'], ['gb', 'UK'], ['GG', 'UK'], ['JE', 'UK'], ['IM', 'UK'], ['GI', 'UK'], ['FK', 'UK'],
    ['DE', 'EU'], ['FR', 'EU'], ['IE', 'EU'], ['PL', 'EU'], ['NO', 'EU'], ['IS', 'EU'], ['CH', 'EU'], ['UA', 'EU'], ['EU', 'EU'],
    ['AU', 'AU'], ['CA', 'CA'], ['NZ', 'NZ'], ['JP', 'INTL'], ['IN', 'INTL'], ['BR', 'INTL'], ['ZA', 'INTL'],
    ['XX', 'INTL'], ['T1', 'INTL'], ['', 'INTL'], ['USA', 'INTL'], ['1A', 'INTL'], ['<b>geo</b>', 'INTL'], ['U', 'INTL'],
  ];
  for (const [header, group] of cases) {
    it(`CF-IPCountry ${JSON.stringify(header)} gets the ${group} banner`, async () => {
      const res = await fetchApp(ARTICLE, { headers: { 'CF-IPCountry': header } });
      const html = await res.text();
      expect(bannerRegion(html)).toBe(group);
      expect(res.headers.get('Vary')).toBe('CF-IPCountry');
      if (header.length > 2) expect(html).not.toContain(header);
    });
  }

  it('gives INTL and the same Vary when there is no header at all', async () => {
    const res = await fetchApp(ARTICLE);
    expect(bannerRegion(await res.text())).toBe('INTL');
    expect(res.headers.get('Vary')).toBe('CF-IPCountry');
  });

  it('lets an allowlisted ?region= preview another group, and ignores anything else', async () => {
    expect(bannerRegion(await (await fetchApp(`${ARTICLE}?region=NZ`, { headers: { 'CF-IPCountry': 'US' } })).text())).toBe('NZ');
    expect(bannerRegion(await (await fetchApp(`${ARTICLE}?region=nz`, { headers: { 'CF-IPCountry': 'US' } })).text())).toBe('US');
    expect(bannerRegion(await (await fetchApp(`${ARTICLE}?region=MARS`, { headers: { 'CF-IPCountry': 'GB' } })).text())).toBe('UK');
  });

  it('shows each group its own currency', async () => {
    const pound = await (await readFrom('GB')).text();
    const euro = await (await readFrom('DE')).text();
    const nz = await (await readFrom('NZ')).text();
    expect(pound).toContain('£4 a month');
    expect(euro).toContain('€4 a month');
    expect(nz).toContain('NZ$7 a month');
    expect(pound).not.toContain('{currency}');
  });
});

describe('request.cf.country as a source', () => {
  it('is used when no header is present, and loses to any header that is', async () => {
    const viaCf = await fetchApp(ARTICLE, { cf: { country: 'DE' } });
    expect(bannerRegion(await viaCf.text())).toBe('EU');
    const header = await fetchApp(ARTICLE, { cf: { country: 'DE' }, headers: { 'CF-IPCountry': 'AU' } });
    expect(bannerRegion(await header.text())).toBe('AU');
    const unknownHeader = await fetchApp(ARTICLE, { cf: { country: 'CA' }, headers: { 'CF-IPCountry': 'XX' } });
    expect(bannerRegion(await unknownHeader.text())).toBe('INTL');
  });
});

describe('the support banner', () => {
  it('has a dismiss button that only the script reveals, and the script is allowed by its hash', async () => {
    const res = await readFrom('AU');
    const html = await res.text();
    expect(bannerRegion(html)).toBe('AU');
    expect(html).toContain('<button type="button" class="support-dismiss" data-support-dismiss data-beacon="/_banner/AU/-/default/dismissed" aria-label="Hide this message for 30 days">');
    expect(html).toContain(`<script>${SUPPORT_SCRIPT}</script>`);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(SUPPORT_SCRIPT));
    const hash = `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`;
    expect(hash).toBe(SUPPORT_SCRIPT_HASH);
    expect(res.headers.get('Content-Security-Policy')).toContain(`script-src ${hash};`);
  });

  it('keeps the HTML identical and cookie-free for every reader of a region', async () => {
    const [a, b] = await Promise.all([readFrom('CA'), readFrom('CA')]);
    expect(await a.text()).toBe(await b.text());
    expect(a.headers.get('Set-Cookie')).toBeNull();
    expect(SUPPORT_SCRIPT).toContain('localStorage');
    expect(SUPPORT_SCRIPT).not.toContain('cookie');
  });
});

describe('banner copy from KV', () => {
  it('overrides one group and leaves the others on the defaults', async () => {
    await env.ARTICLES.put(BANNERS_KEY, UK_OVERRIDE);
    const uk = await (await readFrom('GB')).text();
    expect(bannerRegion(uk)).toBe('UK');
    expect(uk).toContain('Winter appeal');
    expect(uk).toContain('Give £3 (GBP) a month.');
    const us = await (await readFrom('US')).text();
    expect(us).not.toContain('Winter appeal');
    expect(us).toContain('This page has no paywall');
  });

  it('changes the ETag of the overridden group only', async () => {
    await env.ARTICLES.delete(BANNERS_KEY);
    const ukBefore = (await readFrom('GB')).headers.get('ETag');
    const usBefore = (await readFrom('US')).headers.get('ETag');
    await env.ARTICLES.put(BANNERS_KEY, UK_OVERRIDE);
    expect((await readFrom('GB')).headers.get('ETag')).not.toBe(ukBefore);
    expect((await readFrom('US')).headers.get('ETag')).toBe(usBefore);
  });

  it('keeps the defaults when the stored copy is invalid', async () => {
    await env.ARTICLES.put(BANNERS_KEY, 'UK:\n  heading: ""\n');
    const res = await readFrom('GB');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('This page has no paywall');
  });
});
