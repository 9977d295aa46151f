/**
 * What the banners file decides for one page and one reader: whether the
 * banner shows, which copy, and under which name it is counted. Pure; the
 * worker calls it for pages, beacons and clicks, the tests call it directly.
 *
 * The order, first decision wins:
 *
 * 1. `support: false` in the article's front matter: no banner.
 * 2. The rules, in file order: the first whose match fits the article's
 *    section or topics (and the reader's group, when it names groups) hides
 *    the banner or lays its copy over the group's. A page a rule targets is
 *    in no test, so a test's numbers are about one copy against another.
 * 3. The test live for the reader's group: a reader enrolled in it (by the
 *    `bs_test` cookie the impression beacon sets) sees their arm's copy laid
 *    over the group's; a reader not yet enrolled sees the group's copy.
 * 4. The group's copy (the editors' override, or the code's default).
 */
import type { BannerCopy, BannerFile, BannerRule, BannerTest, PartialCopy } from './banner-copy.ts';
import { BANNER_NAME } from './banner-copy.ts';
import type { RegionGroup } from './region-groups.ts';

/** What a banner is counted as: the test (`-` for none) and its variant (`default`, `rule.<name>`, or an arm). */
export interface BannerSource {
  test: string;
  variant: string;
}

export const NO_TEST = '-';
export const DEFAULT_VARIANT = 'default';

/** What a page knows of its article for targeting. */
export interface ArticleTarget {
  section?: string | undefined;
  tags: readonly string[];
  /** false: `support: false` in front matter. */
  support: boolean;
}

export type BannerPlan =
  | { shown: false; reason: 'article' | `rule.${string}`; until?: number }
  | { shown: true; copy: BannerCopy; source: BannerSource; until?: number };

/** The cookie that holds a reader's arm, `<test>.<arm>`: nothing else about them. */
export const TEST_COOKIE = 'bs_test';

/** The test live in `group` at `now`, or null (the file allows one at a time per group). */
export function liveTest(file: BannerFile, group: RegionGroup, now: number): BannerTest | null {
  return file.tests.find((t) => t.groups.includes(group) && t.start <= now && now < t.end) ?? null;
}

/** When what a page in `group` shows next changes by the clock alone (a test starting or ending); undefined when never. */
export function nextChange(file: BannerFile, group: RegionGroup, now: number): number | undefined {
  let next: number | undefined;
  for (const t of file.tests) {
    if (!t.groups.includes(group)) continue;
    for (const at of [t.start, t.end]) if (at > now && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** A `<test>.<arm>` value (from the cookie, or the header a cache set from it) when it names an arm of the test live in `group`; else null. */
export function validArm(file: BannerFile, group: RegionGroup, value: string | null | undefined, now: number): string | null {
  if (!value || value.length > 81) return null;
  const [test, arm, ...rest] = value.split('.');
  if (rest.length || !test || !arm) return null;
  const live = liveTest(file, group, now);
  return live && live.name === test && live.arms.some((a) => a.name === arm) ? `${test}.${arm}` : null;
}

function ruleFor(file: BannerFile, group: RegionGroup, article: ArticleTarget): BannerRule | null {
  return file.rules.find((r) =>
    (r.groups.length === 0 || r.groups.includes(group)) &&
    (r.sections.length === 0 || (article.section !== undefined && r.sections.includes(article.section))) &&
    (r.tags.length === 0 || article.tags.some((tag) => r.tags.includes(tag)))) ?? null;
}

/** The banner for one page in `group` for a reader in `arm` (a valid `<test>.<arm>`, or null), at `now`. */
export function planBanner(file: BannerFile, base: BannerCopy, group: RegionGroup, article: ArticleTarget, arm: string | null, now: number): BannerPlan {
  const until = nextChange(file, group, now);
  const at = until === undefined ? {} : { until };
  if (!article.support) return { shown: false, reason: 'article', ...at };
  const rule = ruleFor(file, group, article);
  if (rule?.hide) return { shown: false, reason: `rule.${rule.name}`, ...at };
  if (rule) return { shown: true, copy: overlay(base, rule.copy!), source: { test: NO_TEST, variant: `rule.${rule.name}` }, ...at };
  const chosen = arm === null ? null : armOf(file, group, arm, now);
  if (chosen) return { shown: true, copy: overlay(base, chosen.arm.copy), source: { test: chosen.test.name, variant: chosen.arm.name }, ...at };
  return { shown: true, copy: base, source: { test: NO_TEST, variant: DEFAULT_VARIANT }, ...at };
}

function armOf(file: BannerFile, group: RegionGroup, value: string, now: number) {
  const valid = validArm(file, group, value, now);
  if (!valid) return null;
  const armName = valid.slice(valid.indexOf('.') + 1);
  const test = liveTest(file, group, now)!;
  return { test, arm: test.arms.find((a) => a.name === armName)! } as const;
}

/**
 * The copy a banner of `source` shows in `group`, for its links: the group's
 * copy, with the rule's or the arm's laid over it. Null when the file knows
 * no such rule, test or arm (a link from a page the file no longer explains).
 * A test's arms are found whether or not it is live, so a click on a page
 * opened before the test ended still goes where its banner said.
 */
export function copyOf(file: BannerFile, base: BannerCopy, group: RegionGroup, source: BannerSource): BannerCopy | null {
  if (source.test === NO_TEST) {
    if (source.variant === DEFAULT_VARIANT) return base;
    const rule = source.variant.startsWith('rule.') ? file.rules.find((r) => r.name === source.variant.slice(5) && r.copy) : undefined;
    return rule ? overlay(base, rule.copy!) : null;
  }
  const test = file.tests.find((t) => t.name === source.test && t.groups.includes(group));
  const arm = test?.arms.find((a) => a.name === source.variant);
  return arm ? overlay(base, arm.copy) : null;
}

/** Whether text can be a source's test or variant segment of a URL. */
export function isSourceSegment(value: string, kind: 'test' | 'variant'): boolean {
  if (kind === 'test') return value === NO_TEST || BANNER_NAME.test(value);
  return BANNER_NAME.test(value) || (value.startsWith('rule.') && BANNER_NAME.test(value.slice(5)));
}

/** An arm for a reader entering `test`, in proportion to the shares; `random` is uniform in [0, 1). */
export function assignArm(test: BannerTest, random: number): string {
  let point = random * 100;
  for (const arm of test.arms) {
    if (point < arm.share) return arm.name;
    point -= arm.share;
  }
  return test.arms.at(-1)!.name;
}

// A partial copy laid over each base, made once per pair (the banner renderer memoizes by copy object).
const overlays = new WeakMap<PartialCopy, WeakMap<BannerCopy, BannerCopy>>();

/** `copy`'s fields over `base`'s. */
export function overlay(base: BannerCopy, copy: PartialCopy): BannerCopy {
  if (Object.keys(copy).length === 0) return base;
  let byBase = overlays.get(copy);
  if (!byBase) overlays.set(copy, (byBase = new WeakMap()));
  let merged = byBase.get(base);
  if (!merged) byBase.set(base, (merged = { ...base, ...copy }));
  return merged;
}
