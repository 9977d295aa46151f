/**
 * The reader's region: which country their request says they are in, and which
 * reader-revenue group that country belongs to.
 *
 * Everything here is pure except {@link regionDetector}, the middleware that
 * stores the group on the context and adds `Vary` for the configured headers.
 */
import type { Context, MiddlewareHandler } from 'hono';
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
 * The group a request is for: `?region=<GROUP>` when an editor previews
 * another group's banner (group names only; anything else is ignored), else
 * what the configured sources say.
 */
export function regionOf(request: Request & { cf?: { country?: unknown } }, sources: readonly RegionSource[]): RegionGroup {
  const preview = regionQuery(request.url);
  return isRegionGroup(preview) ? preview : regionFromRequest(request.headers, () => request.cf, sources);
}

/** The `region` query parameter of a URL, read without parsing a URL object. */
function regionQuery(url: string): string | null {
  const query = url.indexOf('?');
  return query === -1 ? null : new URLSearchParams(url.slice(query + 1)).get('region');
}

/**
 * Middleware in the style of Hono's `languageDetector`: stores the region
 * group as `c.var.region`, and adds `Vary` for every configured header to
 * whatever response the route produces, errors included, so caches see one
 * stable `Vary` per route. Behind the gateway, the group comes in
 * `ctx.props` (the cache in front of the pages keys by it); called without
 * one, the request's own headers decide.
 */
export function regionDetector(
  getSources: (env: unknown) => { sources: readonly RegionSource[]; vary: string },
  groupFromProps: (c: Context) => string | undefined,
): MiddlewareHandler<{ Variables: { region: RegionGroup } }> {
  return async (c, next) => {
    const { sources, vary } = getSources(c.env);
    const given = groupFromProps(c);
    c.set('region', isRegionGroup(given) ? given : regionOf(c.req.raw, sources));
    await next();
    if (vary) c.res.headers.append('Vary', vary);
  };
}
