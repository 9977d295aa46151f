import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBannerFile } from '../../src/content/banner-copy.ts';
import app from '../../src/index.ts';
import { BANNERS_KEY } from '../../src/storage/kv-format.ts';
import { ORIGIN, articleFile, bannerRegion, seedArticle } from './helpers.ts';

const UK_OVERRIDE = `UK:
  heading: Winter appeal
  paragraphs:
    - Reporting from every town.
  highlight: Give {currency}3 ({currencyCode}) a month.
  primary:
    label: Give now
    url: https://support.example/uk
`;

/** A fresh binding identity, so the banner memo of earlier requests does not apply. */
function freshKv(): KVNamespace {
  return new Proxy(env.ARTICLES, {
    get: (target, prop) => {
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function page(kv: KVNamespace, country: string): Promise<Response> {
  return app.fetch(new Request(`${ORIGIN}/articles/appeal`, { headers: { 'CF-IPCountry': country } }), { ...env, ARTICLES: kv });
}

beforeAll(async () => {
  await seedArticle('appeal', articleFile('title: Appeal\ndate: 2026-11-01'));
});

describe('banner copy from KV', () => {
  it('overrides one group and leaves the others on the defaults', async () => {
    await env.ARTICLES.put(BANNERS_KEY, UK_OVERRIDE);
    const kv = freshKv();
    const uk = await (await page(kv, 'GB')).text();
    expect(bannerRegion(uk)).toBe('UK');
    expect(uk).toContain('Winter appeal');
    expect(uk).toContain('Give £3 (GBP) a month.');
    const us = await (await page(kv, 'US')).text();
    expect(us).not.toContain('Winter appeal');
    expect(us).toContain('This page has no paywall');
  });

  it('changes the ETag of the overridden group only', async () => {
    await env.ARTICLES.delete(BANNERS_KEY);
    const before = freshKv();
    const ukBefore = (await page(before, 'GB')).headers.get('ETag');
    const usBefore = (await page(before, 'US')).headers.get('ETag');
    await env.ARTICLES.put(BANNERS_KEY, UK_OVERRIDE);
    const after = freshKv();
    expect((await page(after, 'GB')).headers.get('ETag')).not.toBe(ukBefore);
    expect((await page(after, 'US')).headers.get('ETag')).toBe(usBefore);
  });

  it('keeps the defaults when the stored copy is invalid', async () => {
    await env.ARTICLES.put(BANNERS_KEY, 'UK:\n  heading: ""\n');
    const res = await page(freshKv(), 'GB');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('This page has no paywall');
  });
});

describe('parseBannerFile', () => {
  it('accepts an empty file and a valid override', () => {
    expect(parseBannerFile('# only comments\n')).toEqual({ ok: true, overrides: {} });
    const result = parseBannerFile(UK_OVERRIDE);
    expect(result.ok && result.overrides.UK?.heading).toBe('Winter appeal');
  });

  it('reports unknown groups, empty calls to action and unfilled placeholders at their lines', () => {
    const result = parseBannerFile(`${UK_OVERRIDE}MARS:
  heading: Hi
EU:
  heading: Hello
  paragraphs: ["Give {amount} today"]
  primary:
    label: ""
    url: /support
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '9: unknown region group "MARS" (known: US, UK, EU, AU, CA, NZ, INTL)',
      '13: EU: paragraphs.0 uses {amount}, which has no value (known: {currency}, {currencyCode})',
      '15: EU: primary.label must be non-empty text',
    ]);
  });
});
