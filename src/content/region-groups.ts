/**
 * The reader-revenue groups and what belongs to each: the countries, and the
 * currency banner copy may show. Pure data, shared by the worker's region
 * detection and the banner copy format (which the publish command checks).
 */

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

/** Every country code listed for a group (the rest of the world is INTL), in the order written above. */
export const GROUP_COUNTRIES: Record<Exclude<RegionGroup, 'INTL'>, readonly string[]> = Object.fromEntries(
  Object.entries(GROUP_MEMBERS).map(([group, codes]) => [group, codes.split(' ')]),
) as Record<Exclude<RegionGroup, 'INTL'>, string[]>;

/**
 * One country code that stands for each whole group. A cache in front that
 * rewrites the geo header to these (the README's VCL, `npm run vcl`) keeps one
 * copy of a page per group instead of one per country, and the worker still
 * reads each as its group. `XX` is "unknown", which is INTL.
 */
export const GROUP_CANONICAL_COUNTRY: Record<RegionGroup, string> = {
  US: 'US', UK: 'GB', EU: 'EU', AU: 'AU', CA: 'CA', NZ: 'NZ', INTL: 'XX',
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
