import { describe, expect, it } from 'vitest';
import { fillPlaceholders, parseBannerFile, validateBannerCopy } from '../../../src/content/banner-copy.ts';
import { UK_OVERRIDE } from '../support/fixtures.ts';

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

describe('validateBannerCopy and fillPlaceholders', () => {
  it('fills known placeholders and leaves unknown ones visible', () => {
    expect(fillPlaceholders('{currency}5 ({currencyCode}) {amount}', 'EU')).toBe('€5 (EUR) {amount}');
  });

  it('reports copy a reader should never see', () => {
    const problems = validateBannerCopy({
      heading: '', paragraphs: ['Give {amount}'], primary: { label: ' ', url: 'javascript:x' }, extra: 1,
    });
    expect(problems.map((p) => p.message)).toEqual([
      'heading must be non-empty text',
      'primary.label must be non-empty text',
      'primary.url must be an http(s), mailto or relative URL',
      'paragraphs.0 uses {amount}, which has no value (known: {currency}, {currencyCode})',
      'unknown field "extra"',
    ]);
  });
});
