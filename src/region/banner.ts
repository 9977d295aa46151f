/**
 * The reader-support banner: the code's own copy for every region group, and
 * the pure renderer, rendered once per copy. Editors' overrides are
 * `content/banner-copy.ts` (the format) and `banner-store.ts` (reading them).
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { fingerprint } from '../content/fingerprint.ts';
import { fillPlaceholders, type BannerCopy } from '../content/banner-copy.ts';
import { safeUrl } from '../content/url.ts';
import type { RegionGroup } from '../content/region-groups.ts';
import { messagesFor } from '../views/messages.ts';

export type { BannerCopy } from '../content/banner-copy.ts';

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

/**
 * The banner for one group, as HTML. It needs no JavaScript; `data-region`
 * names the group so caches, tests and styles can tell variants apart.
 */
export function renderBanner(group: RegionGroup, copy: BannerCopy, language = 'en'): HtmlEscapedString {
  const fill = (text: string) => fillPlaceholders(text, group);
  const secondary = copy.secondary;
  return html`<aside class="support" data-region="${group}" aria-labelledby="support-heading">
<div class="support-inner">
<button type="button" class="support-dismiss" data-support-dismiss aria-label="${messagesFor(language).bannerDismiss}"><span aria-hidden="true">×</span></button>
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

const rendered = new WeakMap<BannerCopy, Map<string, RenderedBanner>>();

/**
 * The banner for `group` from `copy` (the code default unless overridden),
 * with its fixed labels in the site's `language`: rendered once per copy.
 */
export function bannerFor(group: RegionGroup, copy: BannerCopy = DEFAULT_BANNERS[group], language = 'en'): RenderedBanner {
  let byGroup = rendered.get(copy);
  if (!byGroup) rendered.set(copy, (byGroup = new Map()));
  const key = `${group}|${language}`;
  let banner = byGroup.get(key);
  if (!banner) {
    const html = renderBanner(group, copy, language).toString();
    banner = { bytes: new TextEncoder().encode(html), version: fingerprint(html) };
    byGroup.set(key, banner);
  }
  return banner;
}

