/**
 * The system packages the end-to-end tests and the benchmark drive: Varnish
 * (the caching proxy), wrk (load), Debian's Chromium (the browser tests;
 * never a downloaded one) and a Java runtime (the Nu HTML checker). `npm test` makes sure they are there before any
 * test runs (vitest's global setup): it installs the missing ones with
 * apt-get when it can (as root, or with passwordless sudo), and otherwise
 * stops with one message that names them, rather than a wall of failures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemPackage {
  /** The Debian package. */
  name: string;
  /** Where its program is, or a command to find on the PATH. */
  found: () => boolean;
}

const onPath = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() !== '';

export const SYSTEM_PACKAGES: SystemPackage[] = [
  { name: 'varnish', found: () => existsSync('/usr/sbin/varnishd') || existsSync('/usr/local/sbin/varnishd') || onPath('varnishd') },
  { name: 'wrk', found: () => onPath('wrk') },
  { name: 'chromium', found: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') },
  // Java runs the Nu HTML checker (the npm package vnu-jar).
  { name: 'default-jre-headless', found: () => onPath('java') },
];

/** How this machine could install packages: as root, with passwordless sudo, or not at all. */
export function installer(): string[] | null {
  if (!onPath('apt-get')) return null;
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : null;
}

/** The message for packages that are missing and cannot be installed here. */
export function cannotInstallMessage(missing: string[]): string {
  return `The end-to-end tests need ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed, ` +
    'and this machine cannot install them here (that needs apt-get, as root or with passwordless sudo).\n' +
    `Install them, then run npm test again:\n  sudo apt-get install -y ${missing.join(' ')}`;
}

/**
 * Installs what is missing, or throws {@link cannotInstallMessage}. `packages`
 * and `install` can be replaced, so the decision itself can be tested.
 */
export function ensureSystemPackages(
  { packages = SYSTEM_PACKAGES, via = installer(), run = runApt, log = console.log }:
  { packages?: SystemPackage[]; via?: string[] | null; run?: (prefix: string[], names: string[]) => boolean; log?: (line: string) => void } = {},
): string[] {
  const missing = packages.filter((p) => !p.found()).map((p) => p.name);
  if (!missing.length) return [];
  if (via === null) throw new Error(cannotInstallMessage(missing));
  log(`Installing ${missing.join(', ')} with apt-get, for the end-to-end tests…`);
  if (!run(via, missing)) throw new Error(`apt-get could not install ${missing.join(', ')}; see its output above.\n${cannotInstallMessage(missing)}`);
  const still = packages.filter((p) => !p.found()).map((p) => p.name);
  if (still.length) throw new Error(cannotInstallMessage(still));
  return missing;
}

function runApt(prefix: string[], names: string[]): boolean {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => {
    const [command, ...rest] = [...prefix, 'apt-get', ...args];
    return spawnSync(command!, rest, { stdio: 'inherit', env }).status === 0;
  };
  return apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...names]);
}
