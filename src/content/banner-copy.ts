/**
 * The banner copy format: what one region group's reader-support banner
 * says, the placeholders it may use, and the banners file editors publish to
 * replace the code's copy without a deploy (`config/banners` in KV): each
 * group's copy, the targeting rules (`rules:`) and the copy tests
 * (`tests:`). Pure; the publish command and the worker check the file with
 * the same {@link parseBannerFile}, so copy that publishes is copy that shows.
 * What the rules and tests decide for one page is `banner-plan.ts`.
 */
import { CURRENCIES, REGION_GROUPS, isRegionGroup, type RegionGroup } from './region-groups.ts';
import { isValidIsoDate } from './article.ts';
import { SEGMENT_PATTERN } from './slug.ts';
import { list, record, report, text, type Field, type Path, type Walk } from './schema.ts';
import { safeUrl } from './url.ts';
import { parseYamlMapping, type Problem } from './yaml-mapping.ts';

export interface CallToAction {
  label: string;
  url: string;
}

export interface BannerCopy {
  heading: string;
  paragraphs: string[];
  /** One sentence set apart from the paragraphs. */
  highlight?: string;
  primary: CallToAction;
  secondary?: CallToAction;
}

/** Placeholders the copy may use, and the value each takes for a group. */
export const PLACEHOLDERS: Record<string, (group: RegionGroup) => string> = {
  currency: (group) => CURRENCIES[group].symbol,
  currencyCode: (group) => CURRENCIES[group].code,
};

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Replaces `{currency}` and friends with the group's values; unknown names stay as written. */
export function fillPlaceholders(text: string, group: RegionGroup): string {
  return text.replace(PLACEHOLDER, (match, name: string) => PLACEHOLDERS[name]?.(group) ?? match);
}

/** A placeholder the copy uses that has no value: a problem to report, or null. */
function unknownPlaceholder(text: string): string | null {
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!(name! in PLACEHOLDERS)) return `uses {${name}}, which has no value (known: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')})`;
  }
  return null;
}

const copyText = (required: boolean) => text({ max: 600, required, check: unknownPlaceholder });

const callToAction = (required: boolean) => record({
  label: copyText(true),
  url: text({ max: 2000, required: true, check: (url) => (safeUrl(url) === null ? 'must be an http(s), mailto or relative URL' : null) }),
}, { required, shape: 'must be a call to action with a label and a url', unknown: 'error' });

/** One group's copy: every field it may have, and what each must be. */
const BANNER_COPY = record({
  heading: copyText(true),
  paragraphs: list(copyText(true), { required: true, min: 1, max: 10, shape: 'must be a list of one or more texts' }),
  highlight: copyText(false),
  primary: callToAction(true),
  secondary: callToAction(false),
}, { required: true, shape: 'must be a mapping with heading, paragraphs and primary', unknown: 'error' });

/** Every problem with one group's copy (on line 0: it comes from no file); empty when it is fit to show. */
export function validateBannerCopy(copy: unknown): Problem[] {
  const walk: Walk = { lineOf: () => 0, problems: [] };
  BANNER_COPY(copy, [], walk);
  return walk.problems;
}

/** Banner copy that replaces the code default, group by group. */
export type BannerOverrides = Partial<Record<RegionGroup, BannerCopy>>;

/** Some of a copy's fields, laid over a group's copy by a rule or a test's arm. */
export type PartialCopy = Partial<BannerCopy>;

/** One copy field at a time: the same rules as a whole copy's, none required. */
const PARTIAL_COPY = record({
  heading: copyText(false),
  paragraphs: list(copyText(true), { min: 1, max: 10, shape: 'must be a list of one or more texts' }),
  highlight: copyText(false),
  primary: callToAction(false),
  secondary: callToAction(false),
}, { shape: 'must be a mapping of copy fields (heading, paragraphs, highlight, primary, secondary)', unknown: 'error', noun: 'copy' });

/** Names of rules, tests and arms: they appear in URLs, cookies and reports. */
export const BANNER_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const nameText = text({ max: 40, required: true, check: (v) => (BANNER_NAME.test(v) ? null : `must be lower-case letters, digits and hyphens (at most 40), got "${v}"`) });

/**
 * A targeting rule: what it matches (sections, topics, optionally only some
 * groups), and whether it hides the banner or lays its copy over the
 * group's. Rules are tried in file order; the first that matches decides.
 */
export interface BannerRule {
  name: string;
  sections: string[];
  tags: string[];
  /** Empty: every group. */
  groups: RegionGroup[];
  hide: boolean;
  copy?: PartialCopy;
}

/** One arm of a test: the control (`control`) or a variant, its share of readers in percent, and the copy it lays over the group's. */
export interface TestArm {
  name: string;
  share: number;
  copy: PartialCopy;
}

/** A copy test: live from `start` (inclusive) to `end` (exclusive) in `groups`; `arms[0]` is the control. */
export interface BannerTest {
  name: string;
  start: number;
  end: number;
  groups: RegionGroup[];
  arms: TestArm[];
}

/** The whole banners file, parsed. */
export interface BannerFile {
  overrides: BannerOverrides;
  rules: BannerRule[];
  tests: BannerTest[];
}

/** The most variants a test may have besides its control, and the most tests a file may declare (past ones included). */
export const MAX_VARIANTS = 3;
export const MAX_TESTS = 20;
export const MAX_RULES = 50;

export type BannerFileResult = ({ ok: true } & BannerFile) | { ok: false; problems: Problem[] };

const oneOrMany = (item: Field<string>, shape: string): Field<string[]> => (value, path, walk) =>
  (typeof value === 'string' || typeof value === 'number' ? list(item, { max: 50, shape })([value], path, walk) : list(item, { max: 50, shape, unique: true })(value, path, walk));

const groupText = text({ max: 10, required: true, check: (g) => (isRegionGroup(g) ? null : `is not a region group (known: ${REGION_GROUPS.join(', ')})`) });
const groupList = (required: boolean) => list(groupText, { required, min: required ? 1 : 0, max: REGION_GROUPS.length, unique: true, shape: `must be a list of region groups, such as [UK, US]` });

const RULE = record({
  name: nameText,
  match: record({
    section: oneOrMany(text({ max: 60, required: true, check: (v) => (SEGMENT_PATTERN.test(v) ? null : `must be a section name such as "obituaries", got "${v}"`) }), 'must be a section or a list of sections'),
    tag: oneOrMany(text({ max: 60, required: true, numbers: true }), 'must be a topic or a list of topics'),
    groups: groupList(false),
  }, { required: true, shape: 'must be a mapping with section, tag or both (and optionally groups)', unknown: 'error', noun: 'match' }),
  hide: (value, path, walk) => {
    if (value === undefined || value === null) return undefined;
    if (value !== true) report(walk, path, 'must be true (leave it out to show the banner)');
    return value === true ? true : undefined;
  },
  copy: PARTIAL_COPY,
}, { shape: 'must be a mapping with name, match and either hide: true or copy', unknown: 'error', noun: 'rule' });

const isoTime = text({ max: 40, required: true, check: (v) => (isValidIsoDate(v) && v.includes('T') ? null : `must be an ISO 8601 time with a zone, such as 2026-12-01T00:00:00Z, got "${v}"`) });
const share = (value: unknown, path: Path, walk: Walk): number | undefined => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 99) {
    report(walk, path, 'must be a whole percentage from 1 to 99');
    return undefined;
  }
  return value;
};

const TEST = record({
  name: nameText,
  start: isoTime,
  end: isoTime,
  groups: groupList(true),
  control: record({ share, copy: PARTIAL_COPY }, { required: true, shape: 'must be a mapping with share (and optionally copy)', unknown: 'error', noun: 'control' }),
  variants: list(record({ name: nameText, share, copy: PARTIAL_COPY }, { shape: 'must be a mapping with name, share and copy', unknown: 'error', noun: 'variant' }),
    { required: true, min: 1, max: MAX_VARIANTS, shape: `must be a list of one to ${MAX_VARIANTS} variants` }),
}, { shape: 'must be a mapping with name, start, end, groups, control and variants', unknown: 'error', noun: 'test' });

/**
 * Parses and validates a banners file: a YAML mapping from group name to
 * that group's copy, plus `rules:` and `tests:`. Groups left out keep the
 * code default. The publish command and the worker both use this, so copy
 * that publishes is copy that shows.
 */
export function parseBannerFile(source: string): BannerFileResult {
  const yaml = parseYamlMapping(source, 1, 'banners');
  if (!yaml.ok) return yaml;
  const { data, lineOf } = yaml.mapping;
  const walk: Walk = { lineOf, problems: [] };
  const overrides: BannerOverrides = {};
  let rules: BannerRule[] = [];
  let tests: BannerTest[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'rules') rules = parseRules(value, walk);
    else if (key === 'tests') tests = parseTests(value, walk);
    else if (!isRegionGroup(key)) report(walk, [], `unknown region group "${key}" (known: ${REGION_GROUPS.join(', ')}; and rules, tests)`, { line: lineOf(key) });
    else {
      const before = walk.problems.length;
      const found = BANNER_COPY(value, [key], walk);
      if (found && walk.problems.length === before) overrides[key] = found as BannerCopy;
    }
  }
  const problems = walk.problems;
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, overrides, rules, tests };
}

function parseRules(value: unknown, walk: Walk): BannerRule[] {
  const found = list(RULE, { max: MAX_RULES, shape: 'must be a list of rules, each with name, match and hide or copy' })(value, ['rules'], walk) ?? [];
  const rules: BannerRule[] = [];
  const names = new Set<string>();
  found.forEach((r, i) => {
    const path = ['rules', i];
    if (!r.match) return;
    if (r.name && names.has(r.name)) report(walk, [...path, 'name'], `"${r.name}" is the name of an earlier rule`);
    if (r.name) names.add(r.name);
    const sections = r.match.section ?? [], tags = r.match.tag ?? [];
    if (r.match.section === undefined && r.match.tag === undefined) report(walk, [...path, 'match'], 'must name a section, a tag or both');
    if (r.hide === undefined && r.copy === undefined) report(walk, path, 'must either hide the banner (hide: true) or give copy');
    if (r.hide && r.copy) report(walk, [...path, 'copy'], 'is shown nowhere: the rule hides the banner');
    if (r.copy && Object.keys(r.copy).length === 0) report(walk, [...path, 'copy'], 'gives no copy field');
    if (r.name) rules.push({ name: r.name, sections, tags, groups: (r.match.groups ?? []) as RegionGroup[], hide: r.hide === true, ...(r.copy && !r.hide && { copy: r.copy as PartialCopy }) });
  });
  return rules;
}

function parseTests(value: unknown, walk: Walk): BannerTest[] {
  const found = list(TEST, { max: MAX_TESTS, shape: 'must be a list of tests' })(value, ['tests'], walk) ?? [];
  const tests: BannerTest[] = [];
  found.forEach((t, i) => {
    const path = ['tests', i];
    if (!t.control || !t.variants) return;
    const start = t.start ? Date.parse(t.start) : NaN, end = t.end ? Date.parse(t.end) : NaN;
    if (end <= start) report(walk, [...path, 'end'], `(${t.end}) must be after start (${t.start})`);
    if (tests.some((other) => other.name === t.name)) report(walk, [...path, 'name'], `"${t.name}" is the name of an earlier test`);
    const arms: TestArm[] = [{ name: 'control', share: t.control.share ?? 0, copy: (t.control.copy ?? {}) as PartialCopy }];
    t.variants.forEach((v, j) => {
      if (!v.name || v.share === undefined) return;
      if (v.name === 'control' || v.name === 'default' || arms.some((a) => a.name === v.name)) report(walk, [...path, 'variants', j, 'name'], `"${v.name}" is taken: each arm needs its own name, and control and default are reserved`);
      if (!v.copy || Object.keys(v.copy).length === 0) report(walk, [...path, 'variants', j], 'needs copy: the fields this variant changes');
      arms.push({ name: v.name, share: v.share, copy: (v.copy ?? {}) as PartialCopy });
    });
    const total = arms.reduce((sum, a) => sum + a.share, 0);
    if (t.control.share !== undefined && arms.length === t.variants.length + 1 && total !== 100) {
      report(walk, [...path, 'control', 'share'], `and the variants' shares add up to ${total}; they must add up to 100`);
    }
    if (!t.name || !t.groups || Number.isNaN(start) || Number.isNaN(end)) return;
    const groups = t.groups as RegionGroup[];
    // One test at a time per group, so a page has at most 1 + MAX_VARIANTS copies per group.
    for (const other of tests) {
      const shared = other.groups.filter((g) => groups.includes(g));
      if (shared.length && start < other.end && other.start < end) {
        report(walk, [...path, 'groups'], `overlap in time with test "${other.name}" in ${shared.join(', ')}: a group runs one test at a time`);
      }
    }
    tests.push({ name: t.name, start, end, groups, arms });
  });
  return tests;
}

