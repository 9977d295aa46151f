/**
 * The reader's region: which country their request says they are in, and which
 * reader-revenue group that country belongs to.
 *
 * Everything here is pure except {@link regionDetector}, the middleware that
 * stores the group on the context and adds `Vary` for the configured headers.
 */
import type { MiddlewareHandler } from 'hono';
import type { RegionSource } from '../config.ts';

export const REGION_GROUPS = ['US', 'UK', 'EU', 'AU', 'CA', 'NZ', 'INTL'] as const;
export type RegionGroup = (typeof REGION_GROUPS)[number];

/** The group for readers whose country is unknown, unlisted, or not given. */
export const DEFAULT_GROUP: RegionGroup = 'INTL';

/** Currency shown to each group, available to banner copy as `{currency}` and `{currencyCode}`. */
export const CURRENCIES: Record<RegionGroup, { code: string; symbol: string }> = {
  US: { code: 'USD', symbol: '$' },
  UK: { code: 'GBP', symbol: '£' },
  EU: { code: 'EUR', symbol: '€' },
  AU: { code: 'AUD', symbol: '$' },
  CA: { code: 'CAD', symbol: 'CA$' },
  NZ: { code: 'NZD', symbol: 'NZ$' },
  INTL: { code: 'USD', symbol: '$' },
};

// The UK group takes the Crown Dependencies and the British Overseas Territories
// that readers there think of as "home". Europe is the EU27, EFTA, the European
// microstates and the Balkans, Ukraine, Moldova and Turkey, plus the French
// overseas departments, which use the euro. Countries not listed are INTL.
const GROUP_MEMBERS: Record<Exclude<RegionGroup, 'INTL'>, string> = {
  US: 'US',
  UK: 'GB GG JE IM GI FK',
  EU:
    'EU AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE ' +
    'IS LI NO CH AD MC SM VA AX FO SJ AL BA ME MK RS XK MD UA TR GF GP MQ RE YT BL MF PM',
  AU: 'AU',
  CA: 'CA',
  NZ: 'NZ',
};

const COUNTRY_TO_GROUP = new Map<string, RegionGroup>(
  Object.entries(GROUP_MEMBERS).flatMap(([group, codes]) =>
    codes.split(' ').map((code) => [code, group as RegionGroup] as const),
  ),
);

const GROUP_SET = new Set<string>(REGION_GROUPS);

/**
 * Normalises a geo header value to an upper-case two-letter country code, or
 * null when it says nothing usable: empty, malformed, `XX` (unknown) or `T1` (Tor).
 */
export function parseCountry(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length !== 2) return null;
  const code = value.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || code === 'XX') return null;
  return code;
}

/** Maps a country code (or null for unknown) to its reader-revenue group. */
export function groupForCountry(country: string | null): RegionGroup {
  return (country && COUNTRY_TO_GROUP.get(country)) || DEFAULT_GROUP;
}

/** True when `value` names a region group exactly, as `?region=` must. */
export function isRegionGroup(value: string | null | undefined): value is RegionGroup {
  return typeof value === 'string' && GROUP_SET.has(value);
}

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
