/**
 * The reader-support banner: default copy for every region group, the
 * placeholder rules, and the pure renderer.
 *
 * Editors can override a group's copy without a deploy by publishing a banners
 * file (see the README); {@link validateBannerCopy} is the check both the
 * publish command and the worker apply to it.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { fingerprint } from '../content/fingerprint.ts';
import { CURRENCIES, REGION_GROUPS, isRegionGroup, type RegionGroup } from './region.ts';
import { safeUrl } from '../content/url.ts';
import { parseYamlMapping, type Problem } from '../content/yaml-mapping.ts';

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

const SUPPORT = 'https://support.broadsheet.example';

function defaults(group: RegionGroup, reach: string, amount: string): BannerCopy {
  const region = group.toLowerCase();
  return {
    heading: 'This page has no paywall. Readers like you are the reason.',
    paragraphs: [
      `Broadsheet is open to everyone ${reach}, whether or not they can afford to pay. ` +
        'We think that matters: reliable reporting should not be a luxury good.',
      'No billionaire owner or advertiser sets our agenda. The reporting, editing and ' +
        'fact-checking behind every story is funded by people who read it and decided to chip in.',
    ],
    highlight: `A regular gift from {currency}${amount} a month keeps this journalism free to read for the next person who needs it.`,
    primary: { label: 'Support Broadsheet', url: `${SUPPORT}/contribute?region=${region}` },
    secondary: { label: 'How we are funded', url: `${SUPPORT}/funding?region=${region}` },
  };
}

/** Code defaults for every group: original copy, in each group's currency. */
export const DEFAULT_BANNERS: Record<RegionGroup, BannerCopy> = {
  US: defaults('US', 'from Maine to Hawaii', '5'),
  UK: defaults('UK', 'across the UK', '4'),
  EU: defaults('EU', 'across Europe', '4'),
  AU: defaults('AU', 'across Australia', '7'),
  CA: defaults('CA', 'across Canada', '6'),
  NZ: defaults('NZ', 'across Aotearoa New Zealand', '7'),
  INTL: defaults('INTL', 'in every country', '3'),
};

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

/**
 * The banner for one group, as HTML. It needs no JavaScript; `data-region`
 * names the group so caches, tests and styles can tell variants apart.
 */
export function renderBanner(group: RegionGroup, copy: BannerCopy): HtmlEscapedString {
  const fill = (text: string) => fillPlaceholders(text, group);
  const secondary = copy.secondary;
  return html`<aside class="support" data-region="${group}" aria-labelledby="support-heading">
<div class="support-inner">
<button type="button" class="support-dismiss" data-support-dismiss aria-label="Hide this message for 30 days"><span aria-hidden="true">×</span></button>
<h2 id="support-heading">${fill(copy.heading)}</h2>
${copy.paragraphs.map((p) => html`<p>${fill(p)}</p>\n`)}${copy.highlight ? html`<p class="support-highlight">${fill(copy.highlight)}</p>\n` : ''}<p class="support-actions"><a class="button" href="${safeUrl(copy.primary.url) ?? '#'}">${fill(copy.primary.label)}</a>${
    secondary ? html` <a class="button button-secondary" href="${safeUrl(secondary.url) ?? '#'}">${fill(secondary.label)}</a>` : ''
  }</p>
</div>
</aside>` as HtmlEscapedString;
}

/** A group's banner, ready to stitch into a page, and the version that goes into ETags. */
export interface RenderedBanner {
  bytes: Uint8Array;
  version: string;
}

const rendered = new WeakMap<BannerCopy, Map<RegionGroup, RenderedBanner>>();

/** The banner for `group` from `copy` (the code default unless overridden), rendered once per copy. */
export function bannerFor(group: RegionGroup, copy: BannerCopy = DEFAULT_BANNERS[group]): RenderedBanner {
  let byGroup = rendered.get(copy);
  if (!byGroup) rendered.set(copy, (byGroup = new Map()));
  let banner = byGroup.get(group);
  if (!banner) {
    const html = renderBanner(group, copy).toString();
    banner = { bytes: new TextEncoder().encode(html), version: fingerprint(html) };
    byGroup.set(group, banner);
  }
  return banner;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
