/**
 * Counting what the banner did: an impression (the beacon), a click (`/go/`)
 * or a dismissal. Each event is one data point in Workers Analytics Engine
 * (`BANNER_EVENTS`): blobs `kind, test, variant, group, link`, one double
 * (1), the test as the index (AE samples within an index, and reports what
 * each point stands for in `_sample_interval`). With `BANNER_LOCAL_COUNTS`
 * it is also added to D1's `banner_counts`, because Analytics Engine drops
 * writes in wrangler dev and Miniflare.
 *
 * Nothing about the reader is written: no address, no user agent, no
 * cookie, no identifier; only what was shown and what happened.
 */
import type { Context } from 'hono';
import type { BannerSource } from '../content/banner-plan.ts';
import type { RegionGroup } from '../content/region-groups.ts';
import type { AppEnv } from '../http/app-env.ts';
import { later } from '../http/respond.ts';

export type BannerEventKind = 'impression' | 'click' | 'dismiss';

export interface BannerEvent {
  kind: BannerEventKind;
  group: RegionGroup;
  source: BannerSource;
  link?: 'primary' | 'secondary';
}

const COUNT_SQL = `INSERT INTO banner_counts (day, test, variant, grp, kind, link, count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
ON CONFLICT (day, test, variant, grp, kind, link) DO UPDATE SET count = count + 1`;

/** Records one event, after the response; a failure to record is logged, never the reader's problem. */
export function recordBannerEvent(c: Context<AppEnv>, event: BannerEvent): void {
  const { kind, group, source, link = '' } = event;
  try {
    c.env.BANNER_EVENTS?.writeDataPoint({ indexes: [source.test], blobs: [kind, source.test, source.variant, group, link], doubles: [1] });
  } catch (error) {
    console.warn(JSON.stringify({ event: 'banner.event_failed', store: 'analytics-engine', error: String(error) }));
  }
  if (!c.get('config').bannerLocalCounts) return;
  const day = new Date(c.get('now')).toISOString().slice(0, 10);
  later(c)(c.env.INDEX.prepare(COUNT_SQL).bind(day, source.test, source.variant, group, kind, link).run().catch((error: unknown) => {
    console.warn(JSON.stringify({ event: 'banner.event_failed', store: 'd1', error: String(error) }));
  }));
}
