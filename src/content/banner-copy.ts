/**
 * The banner copy format: what one region group's reader-support banner
 * says, the placeholders it may use, and the banners file editors publish to
 * replace the code's copy without a deploy (`config/banners` in KV). Pure;
 * the publish command and the worker check copy with the same
 * {@link parseBannerFile}, so copy that publishes is copy that shows.
 */
import { CURRENCIES, REGION_GROUPS, isRegionGroup, type RegionGroup } from './region-groups.ts';
import { list, record, report, text, type Walk } from './schema.ts';
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

export type BannerFileResult = { ok: true; overrides: BannerOverrides } | { ok: false; problems: Problem[] };

/**
 * Parses and validates a banners file: a YAML mapping from group name to that
 * group's copy. Groups left out keep the code default. The publish command
 * and the worker both use this, so copy that publishes is copy that shows.
 */
export function parseBannerFile(source: string): BannerFileResult {
  const yaml = parseYamlMapping(source, 1, 'banners');
  if (!yaml.ok) return yaml;
  const { data, lineOf } = yaml.mapping;
  const walk: Walk = { lineOf, problems: [] };
  const overrides: BannerOverrides = {};
  for (const [group, copy] of Object.entries(data)) {
    if (!isRegionGroup(group)) {
      report(walk, [], `unknown region group "${group}" (known: ${REGION_GROUPS.join(', ')})`, { line: lineOf(group) });
      continue;
    }
    const before = walk.problems.length;
    const found = BANNER_COPY(copy, [group], walk);
    if (found && walk.problems.length === before) overrides[group] = found as BannerCopy;
  }
  const problems = walk.problems;
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, overrides };
}
