import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseRegionSources } from '../../src/config.ts';
import { CURRENCIES, REGION_GROUPS, countryFromRequest, groupForCountry, parseCountry, regionFromRequest } from '../../src/region/region.ts';
import { articleFile, bannerRegion, get, seedArticle } from './helpers.ts';

describe('parseCountry', () => {
  it('accepts two letters in either case', () => {
    expect(parseCountry('gb')).toBe('GB');
    expect(parseCountry('De')).toBe('DE');
  });

  it('treats unknown, Tor and malformed values as unknown', () => {
    for (const value of ['XX', 'xx', 'T1', '', ' GB', 'GBR', 'G', '12', 'É1', 'ＧＢ', null, undefined]) {
      expect(parseCountry(value), String(value)).toBeNull();
    }
  });
});

describe('groupForCountry', () => {
  it('maps each listed country to its group', () => {
    const expected: Record<string, string> = {
      US: 'US', GB: 'UK', GG: 'UK', JE: 'UK', IM: 'UK', GI: 'UK', FK: 'UK',
      DE: 'EU', IE: 'EU', PL: 'EU', NO: 'EU', IS: 'EU', CH: 'EU', UA: 'EU', EU: 'EU',
      AU: 'AU', CA: 'CA', NZ: 'NZ', JP: 'INTL', IN: 'INTL', BR: 'INTL', ZA: 'INTL',
    };
    for (const [country, group] of Object.entries(expected)) expect(groupForCountry(country), country).toBe(group);
  });

  it('sends unknown readers to INTL', () => {
    expect(groupForCountry(null)).toBe('INTL');
  });

  it('has a currency for every group', () => {
    for (const group of REGION_GROUPS) expect(CURRENCIES[group].symbol).not.toBe('');
    expect(CURRENCIES.UK.symbol).toBe('£');
    expect(CURRENCIES.CA.symbol).toBe('CA$');
  });
});

describe('countryFromRequest', () => {
  const sources = parseRegionSources('CF-IPCountry, CloudFront-Viewer-Country, cf.country');

  it('lets the first source that is present decide, in configured order', () => {
    expect(countryFromRequest(new Headers({ 'CloudFront-Viewer-Country': 'nz' }), { country: 'DE' }, sources)).toBe('NZ');
    expect(countryFromRequest(new Headers(), { country: 'DE' }, sources)).toBe('DE');
    expect(countryFromRequest(new Headers(), undefined, sources)).toBeNull();
  });

  it('does not fall through past an explicit unknown', () => {
    // Behind another CDN, its "unknown" must not become the CDN's own location.
    const headers = new Headers({ 'CF-IPCountry': 'XX', 'CloudFront-Viewer-Country': 'nz' });
    expect(countryFromRequest(headers, { country: 'DE' }, sources)).toBeNull();
    expect(countryFromRequest(new Headers({ 'CF-IPCountry': 'T1' }), { country: 'DE' }, sources)).toBeNull();
    expect(countryFromRequest(new Headers({ 'CF-IPCountry': '' }), { country: 'DE' }, sources)).toBeNull();
  });

  it('ignores headers that are not configured', () => {
    const onlyCf = parseRegionSources('CF-IPCountry');
    expect(regionFromRequest(new Headers({ 'X-Country-Code': 'GB' }), { country: 'GB' }, onlyCf)).toBe('INTL');
  });
});

describe('configuration', () => {
  it('builds Vary from the header sources only', () => {
    const config = parseConfig({ REGION_HEADERS: 'CF-IPCountry, cf.country, X-Vercel-IP-Country' });
    expect(config.region.vary).toBe('CF-IPCountry, X-Vercel-IP-Country');
  });

  it('refuses values that are not what they claim to be', () => {
    expect(() => parseConfig({ REGION_HEADERS: 'CF IPCountry' })).toThrow(ConfigError);
    expect(() => parseConfig({ CDN_MAX_AGE: '-5' })).toThrow(/CDN_MAX_AGE/);
    expect(() => parseConfig({ BROWSER_MAX_AGE: 'soon' })).toThrow(/BROWSER_MAX_AGE/);
    expect(() => parseConfig({ SITE_URL: 'news.example' })).toThrow(/SITE_URL/);
    expect(() => parseConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/TIME_ZONE/);
  });

  it('keeps KV cacheTtl at or above the 30 s KV minimum', () => {
    expect(parseConfig({ KV_CACHE_TTL: '5' }).kvCacheTtl).toBe(30);
  });
});

describe('request.cf.country as a source', () => {
  it('is used when no header is present, and loses to any header that is', async () => {
    await seedArticle('cf-test', articleFile('title: Cf test\ndate: 2026-01-01'));
    const viaCf = await get('/articles/cf-test', {}, { cf: { country: 'DE' } } as RequestInit);
    expect(bannerRegion(await viaCf.text())).toBe('EU');
    const header = await get('/articles/cf-test', { 'CF-IPCountry': 'AU' }, { cf: { country: 'DE' } } as RequestInit);
    expect(bannerRegion(await header.text())).toBe('AU');
    const unknownHeader = await get('/articles/cf-test', { 'CF-IPCountry': 'XX' }, { cf: { country: 'CA' } } as RequestInit);
    expect(bannerRegion(await unknownHeader.text())).toBe('INTL');
  });
});
