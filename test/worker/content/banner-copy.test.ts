import { describe, expect, it } from 'vitest';
import { fillPlaceholders, parseBannerFile, validateBannerCopy } from '../../../src/content/banner-copy.ts';
import { UK_OVERRIDE } from '../support/fixtures.ts';

describe('parseBannerFile', () => {
  it('accepts an empty file and a valid override', () => {
    expect(parseBannerFile('# only comments\n')).toEqual({ ok: true, overrides: {}, rules: [], tests: [] });
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
      '9: unknown region group "MARS" (known: US, UK, EU, AU, CA, NZ, INTL; and rules, tests)',
      '13: EU.paragraphs.0 uses {amount}, which has no value (known: {currency}, {currencyCode})',
      '15: EU.primary.label must not be empty',
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
      'heading must not be empty',
      'paragraphs.0 uses {amount}, which has no value (known: {currency}, {currencyCode})',
      'primary.label must not be empty',
      'primary.url must be an http(s), mailto or relative URL',
      'unknown field "extra" (known: heading, paragraphs, highlight, primary, secondary)',
    ]);
  });
});

describe('the banners file', () => {
  it('keeps copy trimmed, as it will show', () => {
    const result = parseBannerFile('NZ:\n  heading: "  Kia ora  "\n  paragraphs: [" One. "]\n  primary: {label: " Give ", url: /give}\n');
    expect(result.ok && result.overrides.NZ).toEqual({ heading: 'Kia ora', paragraphs: ['One.'], primary: { label: 'Give', url: '/give' } });
  });

  it('refuses copy that is not a mapping, or that leaves out what every banner needs', () => {
    const result = parseBannerFile('US: just a sentence\nCA:\n  heading: Hi\n');
    expect(!result.ok && result.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '1: US must be a mapping with heading, paragraphs and primary',
      '2: CA.paragraphs must be a list of one or more texts',
      '2: CA.primary is required',
    ]);
  });
});
