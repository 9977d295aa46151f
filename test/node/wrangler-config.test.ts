// wrangler.toml, read by wrangler itself: staging repeats production's vars
// (wrangler does not inherit them) but for the site's own name and address,
// and the code's defaults are the configured values, so a var left out is
// never a surprise.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { ENV_VARS, parseConfig } from '../../src/config.ts';
import { ROOT } from '../../support/worker-server.ts';

const read = (env?: string) => unstable_readConfig({ config: path.join(ROOT, 'wrangler.toml'), ...(env && { env }) });
const vars = (env?: string) => Object.fromEntries(Object.entries(read(env).vars).map(([k, v]) => [k, String(v)]));

describe('wrangler.toml', () => {
  it('gives staging the same vars as production, but its name and address', () => {
    const production = vars(), staging = vars('staging');
    const differ = Object.keys({ ...production, ...staging }).filter((k) => production[k] !== staging[k]).sort();
    expect(differ).toEqual(['SITE_NAME']);
    expect(staging.SITE_NAME).toContain('staging');
  });

  it('gives staging its own KV namespace, D1 database, rate limiter and secrets list', () => {
    const production = read(), staging = read('staging');
    expect(staging.name).not.toBe(production.name);
    expect(staging.d1_databases[0]!.database_name).not.toBe(production.d1_databases[0]!.database_name);
    expect(staging.ratelimits[0]!.namespace_id).not.toBe(production.ratelimits[0]!.namespace_id);
    expect(staging.kv_namespaces.map((k: { binding: string }) => k.binding)).toEqual(['ARTICLES']);
    expect(staging.secrets?.required).toEqual(production.secrets?.required);
  });

  it('leaves resource ids to automatic provisioning', () => {
    for (const config of [read(), read('staging')]) {
      expect(config.kv_namespaces.every((k: { id?: string }) => k.id === undefined)).toBe(true);
      expect(config.d1_databases.every((d: { database_id?: string }) => d.database_id === undefined)).toBe(true);
    }
  });

  it('configures every var the code reads, at the value the code would take without it', () => {
    const configured = vars();
    expect(ENV_VARS.filter((name) => !(name in configured))).toEqual([]);
    expect(parseConfig({ ...configured, SITE_NAME: 'Broadsheet' })).toEqual(parseConfig({}));
  });
});
