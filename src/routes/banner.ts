/**
 * The banner's counted links and beacons, all answered `no-store` except the
 * tiny stylesheet that names a beacon (a function of its URL):
 *
 * - `/_banner/<group>/<test>/<variant>/seen.css`: names the impression
 *   beacon as the background of the banner's last element, which a browser
 *   fetches only when it renders the banner on screen;
 * - `/_banner/<group>/<test>/<variant>/seen`: the beacon, a 1×1 GIF; counts
 *   an impression, and enrols a reader who is in no test into the test live
 *   for their group (the `bs_test` cookie, set here and nowhere cached);
 * - `/_banner/<group>/<test>/<variant>/dismissed`: the dismiss button's
 *   beacon (a 204);
 * - `/go/<group>/<test>/<variant>/<primary|secondary>`: counts a click and
 *   answers `302` to the destination the banners file gives that copy's
 *   link, with campaign parameters. The destination always comes from the
 *   file: the URL names only which banner and which link, and a URL the file
 *   does not explain, or any query string, redirects nowhere.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { DEFAULT_VARIANT, NO_TEST, TEST_COOKIE, assignArm, copyOf, isSourceSegment, liveTest, validArm, type BannerSource } from '../content/banner-plan.ts';
import { isRegionGroup, type RegionGroup } from '../content/region-groups.ts';
import { safeUrl } from '../content/url.ts';
import type { AppEnv } from '../http/app-env.ts';
import { IMMUTABLE, NO_STORE } from '../http/cache-headers.ts';
import { DEFAULT_BANNERS, bannerPaths } from '../region/banner.ts';
import { recordBannerEvent } from '../region/banner-events.ts';
import { loadBannerCopy } from '../region/banner-store.ts';

const MAX_COOKIE_SECONDS = 400 * 86_400;
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (ch) => ch.charCodeAt(0));

/** The banner a path names, when its segments can name one: group, test and variant. */
function sourceOf(c: Context<AppEnv>): { group: RegionGroup; source: BannerSource } | null {
  const { group, test, variant } = c.req.param() as { group: string; test: string; variant: string };
  if (!isRegionGroup(group) || !isSourceSegment(test, 'test') || !isSourceSegment(variant, 'variant')) return null;
  if (test === NO_TEST ? variant === 'control' : variant === DEFAULT_VARIANT || variant.startsWith('rule.')) return null;
  return { group, source: { test, variant } };
}

function banners(c: Context<AppEnv>) {
  return loadBannerCopy(c.env.ARTICLES, c.get('config').kvOptions, { now: c.get('now'), meter: c.get('meter') });
}

/** Whether the banners file explains this banner: a copy it can show in the group. */
async function known(c: Context<AppEnv>, group: RegionGroup, source: BannerSource) {
  const file = (await banners(c)).value;
  return { file, copy: copyOf(file, file.overrides[group] ?? DEFAULT_BANNERS[group], group, source) };
}

export async function seenStylesheet(c: Context<AppEnv>): Promise<Response> {
  const found = sourceOf(c);
  if (!found) return c.text('no such banner\n', 404, { 'Cache-Control': NO_STORE });
  const css = `.support-seen>span{background-image:url("${bannerPaths(found.group, found.source).seen}")}\n`;
  return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': IMMUTABLE });
}

export async function seen(c: Context<AppEnv>): Promise<Response> {
  const found = sourceOf(c);
  if (!found) return c.text('no such banner\n', 404, { 'Cache-Control': NO_STORE });
  const { file, copy } = await known(c, found.group, found.source);
  if (copy) recordBannerEvent(c, { kind: 'impression', ...found });
  // A reader seeing the banner who is in no live test joins the one live in their group, for its life.
  const now = c.get('now');
  const live = liveTest(file, found.group, now);
  if (live && !validArm(file, found.group, getCookie(c, TEST_COOKIE), now)) {
    const random = crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
    setCookie(c, TEST_COOKIE, `${live.name}.${assignArm(live, random)}`, {
      // For the test's life, within the 400 days browsers keep a cookie at most (RFC 6265bis).
      path: '/', maxAge: Math.max(1, Math.min(MAX_COOKIE_SECONDS, Math.ceil((live.end - now) / 1000))), sameSite: 'Lax', httpOnly: true, secure: new URL(c.req.url).protocol === 'https:',
    });
  }
  return c.body(PIXEL, 200, { 'Content-Type': 'image/gif', 'Cache-Control': NO_STORE });
}

export async function dismissed(c: Context<AppEnv>): Promise<Response> {
  const found = sourceOf(c);
  if (!found) return c.text('no such banner\n', 404, { 'Cache-Control': NO_STORE });
  if ((await known(c, found.group, found.source)).copy) recordBannerEvent(c, { kind: 'dismiss', ...found });
  return c.body(null, 204, { 'Cache-Control': NO_STORE });
}

export async function go(c: Context<AppEnv>): Promise<Response> {
  const refused = (status: 400 | 404, message: string) => c.text(`${message}\n`, status, { 'Cache-Control': NO_STORE });
  if (new URL(c.req.url).search) return refused(400, 'banner links take no parameters: where they lead is set in the banners file');
  const found = sourceOf(c);
  const link = c.req.param('link');
  if (!found || (link !== 'primary' && link !== 'secondary')) return refused(404, 'no such banner link');
  const { copy } = await known(c, found.group, found.source);
  const destination = copy ? safeUrl((link === 'primary' ? copy.primary : copy.secondary)?.url ?? '') : null;
  if (!destination) return refused(404, 'no such banner link: the banners file has no copy with this link');
  recordBannerEvent(c, { kind: 'click', ...found, link });
  return c.body(null, 302, { Location: withCampaign(destination, found.group, found.source), 'Cache-Control': NO_STORE });
}

/**
 * The destination with campaign parameters for the support page:
 * `utm_source=broadsheet`, `utm_medium=banner`, `utm_campaign` the test
 * (`always-on` outside one), `utm_content` the variant, `utm_term` the group.
 * A `mailto:` link is left as it is.
 */
export function withCampaign(destination: string, group: RegionGroup, source: BannerSource): string {
  if (destination.startsWith('mailto:')) return destination;
  const relative = !/^https?:/i.test(destination);
  const url = new URL(destination, 'https://relative.invalid');
  url.searchParams.set('utm_source', 'broadsheet');
  url.searchParams.set('utm_medium', 'banner');
  url.searchParams.set('utm_campaign', source.test === NO_TEST ? 'always-on' : source.test);
  url.searchParams.set('utm_content', source.variant);
  url.searchParams.set('utm_term', group.toLowerCase());
  return relative ? `${url.pathname}${url.search}${url.hash}` : url.toString();
}
