/**
 * What, besides content, makes two responses differ: the templates, the
 * stylesheet, the deployed code and the banner copy. Each ETag folds these in,
 * so a deploy or a banner change is never answered with a 304 for old bytes.
 */
import { fingerprint } from './content/fingerprint.ts';
import { STYLESHEET_VERSION } from './views/styles.ts';

/** Bump when page markup changes in a way the deploy id might not cover (e.g. local runs). */
export const TEMPLATE_VERSION = '1';

const pageVersions = new Map<string, string>();
let last: { deployId: string | undefined; settings: string; version: string } | undefined;

/**
 * The version of everything that renders pages: templates, stylesheet, the
 * deployment (Cloudflare's version metadata id changes with every deploy) and
 * the configuration that shows in pages (`settings`, e.g. name and sections).
 */
export function pageVersion(deployId: string | undefined, settings: string): string {
  // Every request asks with the same two strings; answer without hashing them again.
  if (last && last.deployId === deployId && last.settings === settings) return last.version;
  const key = `${deployId ?? ''}|${settings}`;
  let version = pageVersions.get(key);
  if (!version) {
    version = fingerprint(`${TEMPLATE_VERSION}|${STYLESHEET_VERSION}|${key}`);
    pageVersions.set(key, version);
  }
  last = { deployId, settings, version };
  return version;
}
