/**
 * The reader's region: which country their request says they are in, and which
 * reader-revenue group that country belongs to.
 *
 * Everything here is pure except {@link regionDetector}, the middleware that
 * stores the group on the context and adds `Vary` for the configured headers.
 */
import type { MiddlewareHandler } from 'hono';
import type { RegionSource } from '../config.ts';
import { groupForCountry, isRegionGroup, parseCountry, type RegionGroup } from '../content/region-groups.ts';

export { CURRENCIES, DEFAULT_GROUP, REGION_GROUPS, groupForCountry, isRegionGroup, parseCountry, type RegionGroup } from '../content/region-groups.ts';

/**
 * The reader's country from the configured sources, in order. The first
 * source that is present decides, even when what it says is unusable: behind
 * another CDN, an explicit "unknown" from its geo header must not fall through
 * to `CF-IPCountry`, which would then describe the CDN's own location.
 */
export function countryFromRequest(
  headers: Headers,
  cf: CfSource,
  sources: readonly RegionSource[],
): string | null {
  for (const source of sources) {
    const raw = source.kind === 'cf' ? (typeof cf === 'function' ? cf() : cf)?.country : headers.get(source.name);
    if (raw === null || raw === undefined) continue;
    return parseCountry(typeof raw === 'string' ? raw : null);
  }
  return null;
}

/**
 * `request.cf`, or a function returning it: workerd builds the `cf` object on
 * every access, so the middleware only touches it when no header decided.
 */
export type CfSource = { country?: unknown } | undefined | (() => { country?: unknown } | undefined);

/** Headers plus `cf` to region group: the whole decision in one pure call. */
export function regionFromRequest(
  headers: Headers,
  cf: CfSource,
  sources: readonly RegionSource[],
): RegionGroup {
  return groupForCountry(countryFromRequest(headers, cf, sources));
}

/**
 * Middleware in the style of Hono's `languageDetector`: works out the region
 * group once, stores it as `c.var.region`, and adds `Vary` for every configured
 * header to whatever response the route produces, errors included, so caches
 * see one stable `Vary` per route. `?region=<GROUP>` overrides the headers for
 * editors previewing another group's banner; other values are ignored.
 */
export function regionDetector(
  getSources: (env: unknown) => { sources: readonly RegionSource[]; vary: string },
): MiddlewareHandler<{ Variables: { region: RegionGroup } }> {
  return async (c, next) => {
    const { sources, vary } = getSources(c.env);
    const preview = c.req.query('region');
    const request = c.req.raw as Request & { cf?: { country?: unknown } };
    c.set('region', isRegionGroup(preview) ? preview : regionFromRequest(request.headers, () => request.cf, sources));
    await next();
    if (vary) c.res.headers.append('Vary', vary);
  };
}
