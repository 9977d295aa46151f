import { describe, expect, it } from 'vitest';
import { parseBannerFile, type BannerFile } from '../../../src/content/banner-copy.ts';
import { assignArm, nextChange, planBanner, validArm } from '../../../src/content/banner-plan.ts';
import { differencePValue, reportRows, wilson } from '../../../src/content/banner-stats.ts';
import { DEFAULT_BANNERS } from '../../../src/region/banner.ts';

const TESTS = `tests:
  - name: first
    start: 2030-01-01T00:00:00Z
    end: 2030-02-01T00:00:00Z
    groups: [UK]
    control: {share: 50}
    variants:
      - name: short
        share: 50
        copy: {heading: Short}
`;

function file(source: string): BannerFile {
  const parsed = parseBannerFile(source);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
  return parsed;
}

const problems = (source: string) => {
  const parsed = parseBannerFile(source);
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.line}: ${p.message}`);
};

describe('the banners file: rules and tests', () => {
  it('reads rules and tests, with times and shares', () => {
    const parsed = file(`rules:\n  - name: quiet\n    match: {section: obituaries, tag: [grief, loss]}\n    hide: true\n${TESTS}`);
    expect(parsed.rules).toEqual([{ name: 'quiet', sections: ['obituaries'], tags: ['grief', 'loss'], groups: [], hide: true }]);
    expect(parsed.tests[0]).toMatchObject({ name: 'first', start: Date.parse('2030-01-01T00:00:00Z'), groups: ['UK'], arms: [{ name: 'control', share: 50 }, { name: 'short', share: 50, copy: { heading: 'Short' } }] });
  });

  it('reports each mistake at its line', () => {
    expect(problems(`rules:
  - name: Bad Name
    match: {}
    hide: false
  - name: two
    match: {section: World}
    copy: {heading: Hi, colour: red}
tests:
  - name: t
    start: 2030-01-01
    end: 2029-01-01T00:00:00Z
    groups: [UK, MARS]
    control: {share: 70}
    variants:
      - name: control
        share: 40
        copy: {heading: x}
  - name: clash
    start: 2029-06-01T00:00:00Z
    end: 2030-06-01T00:00:00Z
    groups: [UK]
    control: {share: 50}
    variants:
      - {name: v, share: 50, copy: {heading: y}}
`)).toEqual([
      '2: rules.0.name must be lower-case letters, digits and hyphens (at most 40), got "Bad Name"',
      '2: rules.0 must either hide the banner (hide: true) or give copy',
      '3: rules.0.match must name a section, a tag or both',
      '4: rules.0.hide must be true (leave it out to show the banner)',
      '6: rules.1.match.section.0 must be a section name such as "obituaries", got "World"',
      '7: unknown copy field "colour" (known: heading, paragraphs, highlight, primary, secondary)',
      '10: tests.0.start must be an ISO 8601 time with a zone, such as 2026-12-01T00:00:00Z, got "2030-01-01"',
      '12: tests.0.groups.1 is not a region group (known: US, UK, EU, AU, CA, NZ, INTL)',
      "13: tests.0.control.share and the variants' shares add up to 110; they must add up to 100",
      '15: tests.0.variants.0.name "control" is taken: each arm needs its own name, and control and default are reserved',
    ]);
  });

  it('runs one test at a time in a group', () => {
    expect(problems(`${TESTS}  - name: second
    start: 2030-01-15T00:00:00Z
    end: 2030-03-01T00:00:00Z
    groups: [US, UK]
    control: {share: 50}
    variants:
      - {name: v, share: 50, copy: {heading: y}}
`)).toEqual(['14: tests.1.groups overlap in time with test "first" in UK: a group runs one test at a time']);
  });
});

describe('planBanner', () => {
  const parsed = file(`rules:
  - {name: hide-obits, match: {section: obituaries}, hide: true}
  - {name: climate, match: {tag: climate}, copy: {heading: Climate}}
${TESTS}`);
  const base = DEFAULT_BANNERS.UK;
  const story = { section: 'world', tags: [], support: true };
  const during = Date.parse('2030-01-10T00:00:00Z');

  it('decides in order: the article, the first rule, the test, the group', () => {
    expect(planBanner(parsed, base, 'UK', { ...story, support: false, tags: ['climate'] }, 'first.short', during)).toMatchObject({ shown: false, reason: 'article' });
    expect(planBanner(parsed, base, 'UK', { section: 'obituaries', tags: ['climate'], support: true }, null, during)).toMatchObject({ shown: false, reason: 'rule.hide-obits' });
    expect(planBanner(parsed, base, 'UK', { ...story, tags: ['climate'] }, 'first.short', during)).toMatchObject({ shown: true, source: { test: '-', variant: 'rule.climate' }, copy: { heading: 'Climate' } });
    expect(planBanner(parsed, base, 'UK', story, 'first.short', during)).toMatchObject({ shown: true, source: { test: 'first', variant: 'short' }, copy: { heading: 'Short' } });
    expect(planBanner(parsed, base, 'UK', story, null, during)).toMatchObject({ shown: true, source: { test: '-', variant: 'default' }, copy: base });
  });

  it('knows when the page next changes by the clock', () => {
    expect(nextChange(parsed, 'UK', Date.parse('2029-12-31T00:00:00Z'))).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(nextChange(parsed, 'UK', during)).toBe(Date.parse('2030-02-01T00:00:00Z'));
    expect(nextChange(parsed, 'UK', Date.parse('2030-03-01T00:00:00Z'))).toBeUndefined();
    expect(nextChange(parsed, 'US', during)).toBeUndefined();
  });

  it('accepts only an arm of the test live in the group', () => {
    expect(validArm(parsed, 'UK', 'first.short', during)).toBe('first.short');
    expect(validArm(parsed, 'UK', 'first.control', during)).toBe('first.control');
    for (const value of ['first.long', 'first', 'other.short', 'first.short.x', '', null]) expect(validArm(parsed, 'UK', value, during)).toBeNull();
    expect(validArm(parsed, 'US', 'first.short', during)).toBeNull();
    expect(validArm(parsed, 'UK', 'first.short', Date.parse('2030-02-01T00:00:00Z'))).toBeNull();
  });

  it('assigns arms by their shares', () => {
    const test = parsed.tests[0]!;
    expect([0, 0.49, 0.5, 0.99].map((r) => assignArm(test, r))).toEqual(['control', 'control', 'short', 'short']);
  });
});

describe('the report\'s numbers', () => {
  it('gives Wilson intervals and two-proportion p-values', () => {
    const [lo, hi] = wilson(10, 100);
    expect(lo).toBeCloseTo(0.0552, 4);
    expect(hi).toBeCloseTo(0.1744, 4);
    expect(wilson(0, 0)).toEqual([0, 0]);
    expect(differencePValue({ impressions: 1000, clicks: 100, dismissals: 0 }, { impressions: 1000, clicks: 150, dismissals: 0 })).toBeCloseTo(0.000723, 5);
    expect(differencePValue({ impressions: 1000, clicks: 100, dismissals: 0 }, { impressions: 1000, clicks: 105, dismissals: 0 })).toBeGreaterThan(0.5);
    expect(differencePValue({ impressions: 10, clicks: 0, dismissals: 0 }, { impressions: 10, clicks: 0, dismissals: 0 })).toBeNull();
  });

  it('rows per group and over all groups, the control first, each variant judged against its own group\'s control', () => {
    const rows = reportRows([
      { test: 'first', variant: 'short', group: 'UK', kind: 'impression', n: 1000 }, { test: 'first', variant: 'short', group: 'UK', kind: 'click', n: 150 },
      { test: 'first', variant: 'control', group: 'UK', kind: 'impression', n: 1000 }, { test: 'first', variant: 'control', group: 'UK', kind: 'click', n: 100 },
      { test: '-', variant: 'default', group: 'US', kind: 'impression', n: 10 },
    ]);
    expect(rows.map((r) => `${r.test} ${r.group} ${r.variant} ${r.verdict}`)).toEqual([
      'first UK control control', 'first UK short differs', 'first all control control', 'first all short differs', '- US default control',
    ]);
    expect(rows[1]!.ctr).toBe(0.15);
  });
});
