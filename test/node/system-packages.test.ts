// npm test on a new machine: the packages the end-to-end tests drive are
// installed when they can be, and named in one message when they cannot.
import { describe, expect, it } from 'vitest';
import { SYSTEM_PACKAGES, cannotInstallMessage, ensureSystemPackages } from '../../support/system-packages.ts';

const pkg = (name: string, present: { now: boolean }) => ({ name, found: () => present.now });

describe('the system packages of the end-to-end tests', () => {
  it('are all on this machine once the global setup has run', () => {
    expect(SYSTEM_PACKAGES.filter((p) => !p.found()).map((p) => p.name)).toEqual([]);
  });

  it('installs only what is missing, with the installer the machine has', () => {
    const varnish = { now: false }, wrk = { now: true };
    const calls: [string[], string[]][] = [];
    const installed = ensureSystemPackages({
      packages: [pkg('varnish', varnish), pkg('wrk', wrk)], via: ['sudo', '-n'], log: () => {},
      run: (prefix, names) => (calls.push([prefix, names]), (varnish.now = true)),
    });
    expect(installed).toEqual(['varnish']);
    expect(calls).toEqual([[['sudo', '-n'], ['varnish']]]);
  });

  it('stops with one message naming every missing package when it cannot install them', () => {
    const missing = [pkg('varnish', { now: false }), pkg('chromium', { now: false }), pkg('wrk', { now: true })];
    expect(() => ensureSystemPackages({ packages: missing, via: null, run: () => true })).toThrow(cannotInstallMessage(['varnish', 'chromium']));
    expect(cannotInstallMessage(['varnish', 'chromium'])).toContain('sudo apt-get install -y varnish chromium');
  });

  it('says so when apt-get fails, or installs something that still does not work', () => {
    const gone = [pkg('wrk', { now: false })];
    expect(() => ensureSystemPackages({ packages: gone, via: [], run: () => false, log: () => {} })).toThrow(/apt-get could not install wrk/);
    expect(() => ensureSystemPackages({ packages: gone, via: [], run: () => true, log: () => {} })).toThrow(/need wrk, which is not installed/);
  });
});
