import { describe, expect, it } from 'vitest';
import { parseRegionSources } from '../../../src/config.ts';
import { GROUP_CANONICAL_COUNTRY, GROUP_COUNTRIES } from '../../../src/content/region-groups.ts';
import { CURRENCIES, REGION_GROUPS, countryFromRequest, groupForCountry, parseCountry, regionFromRequest } from '../../../src/region/region.ts';

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
  it('sends unknown readers to INTL', () => {
    expect(groupForCountry(null)).toBe('INTL');
  });

  it('reads each group\'s canonical country, which caches in front rewrite to, as that group', () => {
    for (const group of REGION_GROUPS) expect(groupForCountry(parseCountry(GROUP_CANONICAL_COUNTRY[group])), group).toBe(group);
    // Every member is listed once, under one group.
    const members = Object.values(GROUP_COUNTRIES).flat();
    expect(new Set(members).size).toBe(members.length);
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
