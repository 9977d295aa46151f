/** The Hono environment every route and middleware shares: bindings, and what `http/context.ts` works out per request. */
import type { Config } from '../config.ts';
import type { RegionGroup } from '../region/region.ts';
import type { IndexDb } from '../storage/index-db.ts';
import type { Site } from '../views/layout.ts';
import type { Meter } from './server-timing.ts';

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: Config;
    site: Site;
    region: RegionGroup;
    /**
     * The version of everything besides content that this response's bytes
     * depend on: the configuration's page version, plus the origin when
     * links follow the request's own (no `SITE_URL`). It goes into every ETag.
     */
    version: string;
    /** The request path exactly as sent, not percent-decoded. */
    path: string;
    /** The request's clock, read once: every decision about scheduled articles uses it. */
    now: number;
    meter: Meter;
    /** The D1 index, through this request's session. */
    index: IndexDb;
  };
};
