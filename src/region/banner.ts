/**
 * The reader-support banner: the code's own copy for every region group, and
 * the pure renderer, rendered once per copy. Editors' overrides are
 * `content/banner-copy.ts` (the format) and `banner-store.ts` (reading them).
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { fingerprint } from '../content/fingerprint.ts';
import { fillPlaceholders, type BannerCopy } from '../content/banner-copy.ts';
import { DEFAULT_VARIANT, NO_TEST, type BannerSource } from '../content/banner-plan.ts';
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

/** Where a banner's counted links and beacons live: `/_banner/<group>/<test>/<variant>/…` and `/go/<group>/<test>/<variant>/<link>`. */
export function bannerPaths(group: RegionGroup, source: BannerSource) {
  const at = `${group}/${source.test}/${source.variant}`;
  return {
    /** The stylesheet that names the impression beacon (cacheable: a function of its URL). */
    seenStylesheet: `/_banner/${at}/seen.css`,
    /** The impression beacon: fetched by the browser only once the banner is rendered on screen. */
    seen: `/_banner/${at}/seen`,
    dismissed: `/_banner/${at}/dismissed`,
    go: (link: 'primary' | 'secondary') => `/go/${at}/${link}`,
  };
}

/**
 * The banner for one group, as HTML. It needs no JavaScript; `data-region`,
 * `data-test` and `data-variant` name what it is, for caches, tests and
 * styles. Its links go through `/go/`, which counts the click; its last
 * element is the impression beacon, an empty span whose background image
 * (named by the linked stylesheet) a browser fetches only when the banner is
 * rendered on screen (`content-visibility: auto` skips it until then, with
 * JavaScript or without).
 */
export function renderBanner(group: RegionGroup, copy: BannerCopy, language = 'en', source: BannerSource = { test: NO_TEST, variant: DEFAULT_VARIANT }): HtmlEscapedString {
  const fill = (text: string) => fillPlaceholders(text, group);
  const secondary = copy.secondary;
  const paths = bannerPaths(group, source);
  return html`<aside class="support" data-region="${group}" data-test="${source.test}" data-variant="${source.variant}" aria-labelledby="support-heading">
<link rel="stylesheet" href="${paths.seenStylesheet}">
<div class="support-inner">
<button type="button" class="support-dismiss" data-support-dismiss data-beacon="${paths.dismissed}" aria-label="${messagesFor(language).bannerDismiss}"><span aria-hidden="true">×</span></button>
<h2 id="support-heading">${fill(copy.heading)}</h2>
${copy.paragraphs.map((p) => html`<p>${fill(p)}</p>\n`)}${copy.highlight ? html`<p class="support-highlight">${fill(copy.highlight)}</p>\n` : ''}<p class="support-actions"><a class="button" href="${paths.go('primary')}">${fill(copy.primary.label)}</a>${
    secondary ? html` <a class="button button-secondary" href="${paths.go('secondary')}">${fill(secondary.label)}</a>` : ''
  }</p>
<span class="support-seen" aria-hidden="true"><span></span></span>
</div>
</aside>` as HtmlEscapedString;
}

/** A group's banner, ready to stitch into a page, and the version that goes into ETags. */
export interface RenderedBanner {
  bytes: Uint8Array;
  version: string;
}

/** No banner: the page's slot stays empty. */
export const NO_BANNER: RenderedBanner = { bytes: new Uint8Array(0), version: 'none' };

const rendered = new WeakMap<BannerCopy, Map<string, RenderedBanner>>();

/**
 * The banner for `group` from `copy` (the code default unless overridden),
 * counted as `source`, with its fixed labels in the site's `language`:
 * rendered once per copy and source.
 */
export function bannerFor(group: RegionGroup, copy: BannerCopy = DEFAULT_BANNERS[group], language = 'en', source: BannerSource = { test: NO_TEST, variant: DEFAULT_VARIANT }): RenderedBanner {
  let byGroup = rendered.get(copy);
  if (!byGroup) rendered.set(copy, (byGroup = new Map()));
  const key = `${group}|${language}|${source.test}|${source.variant}`;
  let banner = byGroup.get(key);
  if (!banner) {
    const html = renderBanner(group, copy, language, source).toString();
    banner = { bytes: new TextEncoder().encode(html), version: fingerprint(html) };
    byGroup.set(key, banner);
  }
  return banner;
}
