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
import { fingerprint } from './fingerprint.ts';
import { CURRENCIES, REGION_GROUPS, type RegionGroup } from './region.ts';
import { safeUrl } from './url.ts';

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

/** Every problem with one group's copy, as messages; empty when it is fit to show. */
export function validateBannerCopy(copy: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(copy)) return ['must be a mapping with heading, paragraphs and primary'];
  const texts: [string, unknown][] = [['heading', copy.heading], ['highlight', copy.highlight]];
  if (!nonEmpty(copy.heading)) problems.push('heading must be non-empty text');
  if (copy.highlight !== undefined && !nonEmpty(copy.highlight)) problems.push('highlight must be non-empty text when given');
  if (!Array.isArray(copy.paragraphs) || copy.paragraphs.length === 0 || !copy.paragraphs.every(nonEmpty)) {
    problems.push('paragraphs must be a list of one or more non-empty texts');
  } else {
    copy.paragraphs.forEach((p, i) => texts.push([`paragraphs[${i}]`, p]));
  }
  for (const key of ['primary', 'secondary'] as const) {
    const cta = copy[key];
    if (cta === undefined && key === 'secondary') continue;
    if (!isRecord(cta) || !nonEmpty(cta.label)) {
      problems.push(`${key} must have a non-empty label`);
      continue;
    }
    texts.push([`${key}.label`, cta.label]);
    if (!nonEmpty(cta.url) || safeUrl(cta.url) === null) problems.push(`${key}.url must be an http(s), mailto or relative URL`);
  }
  for (const [where, value] of texts) {
    if (typeof value !== 'string') continue;
    for (const [, name] of value.matchAll(PLACEHOLDER)) {
      if (!(name! in PLACEHOLDERS)) {
        problems.push(`${where} uses {${name}}, which has no value (known: ${Object.keys(PLACEHOLDERS).map((p) => `{${p}}`).join(', ')})`);
      }
    }
  }
  const known = new Set(['heading', 'paragraphs', 'highlight', 'primary', 'secondary']);
  for (const key of Object.keys(copy)) if (!known.has(key)) problems.push(`unknown field "${key}"`);
  return problems;
}

/** True when `value` names a group banners can be set for. */
export function isBannerGroup(value: string): value is RegionGroup {
  return (REGION_GROUPS as readonly string[]).includes(value);
}

/**
 * The banner for one group, as HTML. It needs no JavaScript; `data-region`
 * names the group so caches, tests and styles can tell variants apart.
 */
export function renderBanner(group: RegionGroup, copy: BannerCopy): HtmlEscapedString {
  const fill = (text: string) => fillPlaceholders(text, group);
  const secondary = copy.secondary;
  return html`<aside class="support" data-region="${group}" aria-labelledby="support-heading">
<h2 id="support-heading">${fill(copy.heading)}</h2>
${copy.paragraphs.map((p) => html`<p>${fill(p)}</p>\n`)}${copy.highlight ? html`<p class="support-highlight">${fill(copy.highlight)}</p>\n` : ''}<p class="support-actions"><a class="button" href="${safeUrl(copy.primary.url) ?? '#'}">${fill(copy.primary.label)}</a>${
    secondary ? html` <a class="button button-secondary" href="${safeUrl(secondary.url) ?? '#'}">${fill(secondary.label)}</a>` : ''
  }</p>
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
