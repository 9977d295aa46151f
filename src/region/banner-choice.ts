/**
 * The banner an article page carries for this request: the plan the banners
 * file makes (`content/banner-plan.ts`) for the reader's group and arm,
 * rendered. The arm comes from where the cache in front keys it:
 *
 * - `BANNER_TEST_ASSIGNMENT = "cookie"` (Cloudflare, wrangler dev): the
 *   gateway reads the `bs_test` cookie, checks it, and passes it in
 *   `ctx.props.arm`, which Workers Cache keys by;
 * - `"header"` (behind Varnish or another CDN): the cache's configuration
 *   turns the cookie into the `Broadsheet-Arm` request header, and the page
 *   varies on it. A cache that does not (the stock VCL) sends no header, so
 *   every reader behind it gets the control.
 */
import type { Context } from 'hono';
import type { ArticleMeta } from '../content/article.ts';
import type { BannerFile } from '../content/banner-copy.ts';
import { planBanner, validArm } from '../content/banner-plan.ts';
import type { RegionGroup } from '../content/region-groups.ts';
import type { AppEnv } from '../http/app-env.ts';
import { executionContext } from '../http/context.ts';
import { DEFAULT_BANNERS, NO_BANNER, bannerFor, type RenderedBanner } from './banner.ts';

/** The request header a cache in front sets from the `bs_test` cookie, and the pages vary on in header mode. */
export const ARM_HEADER = 'Broadsheet-Arm';

/** The reader's arm as this request carries it: from the gateway (props), else in header mode the header (checked against the file by the caller). */
export function requestedArm(c: Context<AppEnv>): string | null {
  const fromGateway = executionContext(c)?.props?.arm;
  if (fromGateway) return fromGateway;
  return c.get('config').bannerTestAssignment === 'header' ? c.req.header(ARM_HEADER) ?? null : null;
}

/** The page's banner (none when the plan hides it), and when it next changes by the clock. */
export function pageBanner(c: Context<AppEnv>, file: BannerFile, meta: ArticleMeta, arm: string | null): { banner: RenderedBanner; until?: number } {
  const group: RegionGroup = c.get('region');
  const now = c.get('now');
  const base = file.overrides[group] ?? DEFAULT_BANNERS[group];
  const plan = planBanner(file, base, group, { section: meta.section, tags: meta.tags, support: meta.support !== false }, validArm(file, group, arm, now), now);
  const until = plan.until === undefined ? {} : { until: plan.until };
  if (!plan.shown) return { banner: NO_BANNER, ...until };
  return { banner: bannerFor(group, plan.copy, c.get('site').language, plan.source), ...until };
}
