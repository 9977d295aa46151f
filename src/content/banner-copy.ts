/**
 * The banner copy format: what one region group's reader-support banner
 * says, the placeholders it may use, and the banners file editors publish to
 * replace the code's copy without a deploy (`config/banners` in KV). Pure;
 * the publish command and the worker check copy with the same
 * {@link parseBannerFile}, so copy that publishes is copy that shows.
 */
import { CURRENCIES, REGION_GROUPS, isRegionGroup, type RegionGroup } from '../region/groups.ts';
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

/** One problem with banner copy, at a path inside the group's mapping. */
export interface CopyProblem {
  path: (string | number)[];
  message: string;
}

const COPY_FIELDS = new Set(['heading', 'paragraphs', 'highlight', 'primary', 'secondary']);
const MAX_TEXT = 600;

/** Every problem with one group's copy; empty when it is fit to show. */
export function validateBannerCopy(copy: unknown): CopyProblem[] {
  const problems: CopyProblem[] = [];
  const problem = (path: (string | number)[], message: string) => problems.push({ path, message });
  if (!isRecord(copy)) return [{ path: [], message: 'must be a mapping with heading, paragraphs and primary' }];
  const texts: [(string | number)[], unknown][] = [];
  const text = (path: (string | number)[], value: unknown, required: boolean) => {
    if (value === undefined && !required) return;
    if (!nonEmpty(value)) problem(path, `${path.join('.')} must be non-empty text`);
    else if (value.length > MAX_TEXT) problem(path, `${path.join('.')} is ${value.length} characters; the limit is ${MAX_TEXT}`);
    else texts.push([path, value]);
  };
  text(['heading'], copy.heading, true);
  text(['highlight'], copy.highlight, false);
  if (!Array.isArray(copy.paragraphs) || copy.paragraphs.length === 0) {
    problem(['paragraphs'], 'paragraphs must be a list of one or more texts');
  } else {
    copy.paragraphs.forEach((p, i) => text(['paragraphs', i], p, true));
  }
  for (const key of ['primary', 'secondary'] as const) {
    const cta = copy[key];
    if (cta === undefined && key === 'secondary') continue;
    if (!isRecord(cta)) {
      problem([key], `${key} must be a call to action with a label and a url`);
      continue;
    }
    text([key, 'label'], cta.label, true);
    if (!nonEmpty(cta.url) || safeUrl(cta.url) === null) problem([key, 'url'], `${key}.url must be an http(s), mailto or relative URL`);
  }
  for (const [path, value] of texts) {
    for (const [, name] of (value as string).matchAll(PLACEHOLDER)) {
      if (!(name! in PLACEHOLDERS)) {
        problem(path, `${path.join('.')} uses {${name}}, which has no value (known: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')})`);
      }
    }
  }
  for (const key of Object.keys(copy)) if (!COPY_FIELDS.has(key)) problem([key], `unknown field "${key}"`);
  return problems;
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
  const problems: Problem[] = [];
  const overrides: BannerOverrides = {};
  for (const [group, copy] of Object.entries(data)) {
    if (!isRegionGroup(group)) {
      problems.push({ line: lineOf(group), severity: 'error', message: `unknown region group "${group}" (known: ${REGION_GROUPS.join(', ')})` });
      continue;
    }
    const found = validateBannerCopy(copy);
    for (const p of found) problems.push({ line: lineOf(group, ...p.path), severity: 'error', message: `${group}: ${p.message}` });
    if (found.length === 0) overrides[group] = copy as BannerCopy;
  }
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, overrides };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
